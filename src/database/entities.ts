import { OrgUnit } from '../modules/org/org-unit.entity.js';
import { KindergartenGroup, KindergartenGroupMember } from '../modules/org/kindergarten-group.entity.js';
import { Person } from '../modules/people/person.entity.js';
import { Employment, PersonCertificate, PersonHonour, StageDefinition, StageRecord, TitleRecord } from '../modules/people/person-records.entity.js';
import { AppUser, AuthSession, LoginThrottle, RoleAssignment } from '../modules/auth/auth.entities.js';
import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { MailOutbox, Notification } from '../modules/notifications/notification.entities.js';

export const entities = [
  OrgUnit, KindergartenGroup, KindergartenGroupMember,
  Person, Employment, TitleRecord, PersonCertificate, PersonHonour, StageRecord, StageDefinition,
  AppUser, RoleAssignment, AuthSession, LoginThrottle,
  AuditLog, Notification, MailOutbox,
];
