import { OrgUnit } from '../modules/org/org-unit.entity.js';
import { KindergartenGroup, KindergartenGroupMember } from '../modules/org/kindergarten-group.entity.js';
import { Person } from '../modules/people/person.entity.js';
import { Employment, PersonCertificate, PersonHonour, StageDefinition, StageRecord, TitleRecord } from '../modules/people/person-records.entity.js';
import { AppUser, AuthSession, LoginThrottle, RoleAssignment } from '../modules/auth/auth.entities.js';
import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { MailOutbox, Notification } from '../modules/notifications/notification.entities.js';
import { Course, CourseTrainer, Material, Meeting, Offering, OfferingTrainer } from '../modules/catalog/catalog.entities.js';
import { Attendance, CheckInCode, Enrollment, EnrollmentEvent, MaterialProgress, NoShowRule } from '../modules/enrollment/enrollment.entities.js';
import { CreditConversionRule } from '../modules/credits/credit-conversion-rule.entity.js';
import { ComplianceReminder, CreditClaim, CreditCycle, CreditEntry, RequirementScheme } from '../modules/credits/credit.entities.js';
import { StoredFile } from '../modules/files/stored-file.entity.js';
import { AssessmentItem, Completion, CompletionRule, Grade, GradeHistory, GradeMark, Rubric, Submission } from '../modules/assessment/assessment.entities.js';
import { MentorLink, MentorPairing, MentoringActivity, MentoringRule, MentoringTermReview, PairingApproval, PairingConsent, Rotation } from '../modules/mentoring/mentoring.entities.js';
import { Certificate } from '../modules/certificates/certificate.entity.js';
import { Program, ProgramApplication, ProgramReviewAssignment, ProgramReviewScore } from '../modules/programs/programs.entities.js';
import { ProgramMember, ProgramMilestone, ProgramOutput, ProgramTeam } from '../modules/programs/cohort.entities.js';
import { ContestEntry } from '../modules/programs/contest.entities.js';
import { LectureFilingDeadline, LectureSeries, LectureSession } from '../modules/programs/lecture.entities.js';
import { ExportJob, ImportJob, ImportRow } from '../modules/imports/imports.entities.js';
import { BackgroundCheck, IntegrityPledge, StaffingStandard, TitleApplication, TitleRule, WorkforceTarget } from '../modules/titles/titles.entities.js';
import { EthicsSanction } from '../modules/titles/ethics-sanction.entity.js';

export const entities = [
  OrgUnit, KindergartenGroup, KindergartenGroupMember,
  Person, Employment, TitleRecord, PersonCertificate, PersonHonour, StageRecord, StageDefinition,
  AppUser, RoleAssignment, AuthSession, LoginThrottle,
  AuditLog, Notification, MailOutbox,
  CreditConversionRule, EthicsSanction, StoredFile,
  CreditCycle, CreditEntry, RequirementScheme, CreditClaim, ComplianceReminder,
  Course, CourseTrainer, Offering, OfferingTrainer, Meeting, Material,
  Enrollment, EnrollmentEvent, MaterialProgress, Attendance, CheckInCode, NoShowRule,
  Rubric, AssessmentItem, Submission, GradeMark, Grade, GradeHistory, CompletionRule, Completion, Certificate,
  MentoringRule, MentorPairing, MentorLink, PairingConsent, PairingApproval, MentoringActivity, MentoringTermReview, Rotation,
  TitleRule, TitleApplication, BackgroundCheck, IntegrityPledge, WorkforceTarget, StaffingStandard,
  Program, ProgramApplication, ProgramReviewAssignment, ProgramReviewScore, ProgramTeam, ProgramMember, ProgramMilestone, ProgramOutput, ContestEntry,
  LectureFilingDeadline, LectureSeries, LectureSession,
  ImportJob, ImportRow, ExportJob,
];
