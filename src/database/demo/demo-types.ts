import type { DemoAssessmentItem, DemoCompletionRule, DemoRubric } from './demo-assessment.js';
import type { Role } from '../../modules/auth/auth.entities.js';
import type { Course, Material, Meeting, Offering } from '../../modules/catalog/catalog.entities.js';
import type { OrgUnit } from '../../modules/org/org-unit.entity.js';
import type { ProgramMember, ProgramMilestone, ProgramOutput, ProgramTeam } from '../../modules/programs/cohort.entities.js';
import type { Program } from '../../modules/programs/programs.entities.js';
import type { CertificateKind, Honour, StageKind, Title } from '../../modules/people/person-records.entity.js';
import type { EducationLevel, Gender, Post } from '../../modules/people/person.entity.js';

/** Rows of the demo district, field names the camelCase of the migration's columns. */
export type DemoOrgUnit = Omit<OrgUnit, 'createdAt' | 'updatedAt' | 'version'>;

export interface DemoGroup {
  id: string;
  districtId: string;
  code: string;
  name: string;
}

export interface DemoGroupMember {
  groupId: string;
  kindergartenId: string;
  isLead: boolean;
  joinedOn: string;
}

/** National ID and phone are plaintext here; the loader encrypts, hashes and masks them. */
export interface DemoPerson {
  id: string;
  districtId: string;
  fullName: string;
  gender: Gender;
  birthDate: string;
  nationalId: string;
  phone: string;
  educationLevel: EducationLevel;
  preschoolMajor: boolean;
  hireDate: string;
  teacherStage: string | null;
  principalStage: string | null;
}

export interface DemoEmployment {
  id: string;
  personId: string;
  orgUnitId: string;
  districtId: string;
  post: Post;
  startDate: string;
  endDate: string | null;
  note: string | null;
}

export interface DemoTitleRecord {
  id: string;
  personId: string;
  title: Title;
  effectiveDate: string;
  approvingBody: string;
}

export interface DemoCertificate {
  id: string;
  personId: string;
  kind: CertificateKind;
  number: string;
  issuer: string;
  issuedOn: string;
  expiresOn: string | null;
}

export interface DemoHonour {
  id: string;
  personId: string;
  honour: Honour;
  name: string;
  awardedOn: string;
  awardedBy: string;
  expiresOn: string | null;
}

export interface DemoStageRecord {
  id: string;
  personId: string;
  kind: StageKind;
  stage: string;
  effectiveDate: string;
}

/** Without a password hash: the loader hashes one demo password and gives it to every user. */
export interface DemoUser {
  id: string;
  username: string;
  personId: string | null;
  displayName: string;
  locale: 'zh-CN' | 'en';
}

export interface DemoRoleAssignment {
  id: string;
  userId: string;
  role: Role;
  orgUnitId: string | null;
  groupId: string | null;
}

export interface DemoCreditConversionRule {
  id: string;
  regionId: string;
  hoursPerCreditCentralised: number;
  hoursPerCreditOther: number;
  effectiveFrom: string;
}

/** Catalog rows; times are ISO 8601 strings with the Shanghai offset. */
export type DemoCourse = Omit<Course, 'createdBy' | 'createdAt' | 'updatedAt' | 'version' | 'audience'> & { audience: Record<string, string[]> };
export type DemoOffering = Omit<Offering, 'cancelledReason' | 'createdBy' | 'createdAt' | 'updatedAt' | 'version' | 'enrolOpensAt' | 'enrolClosesAt' | 'withdrawDeadline'>
  & { enrolOpensAt: string; enrolClosesAt: string; withdrawDeadline: string };
export type DemoMeeting = Omit<Meeting, 'remindedAt' | 'createdAt' | 'startsAt' | 'endsAt'> & { startsAt: string; endsAt: string };
export type DemoMaterial = Omit<Material, 'createdAt'>;

export interface DemoCatalog {
  creditConversionRules: DemoCreditConversionRule[];
  courses: DemoCourse[];
  courseTrainers: Array<{ courseId: string; userId: string }>;
  offerings: DemoOffering[];
  offeringTrainers: Array<{ offeringId: string; userId: string }>;
  meetings: DemoMeeting[];
  materials: DemoMaterial[];
}

export interface DemoEnrollment {
  id: string;
  offeringId: string;
  courseId: string;
  personId: string;
  districtId: string;
  kindergartenId: string;
  level: string;
  status: 'enrolled' | 'pending_approval';
  approvalStep: 'kindergarten' | null;
  priorityTier: number;
  requestedAt: string;
  statusChangedAt: string;
}

export interface DemoEnrollmentEvent {
  enrollmentId: string;
  districtId: string;
  toStatus: string;
  at: string;
}

/** Programs (种子/拔尖计划) and a contest; times are ISO 8601 strings with the Shanghai offset. */
export type DemoProgram = Omit<Program, 'tierNameZh' | 'tierNameEn' | 'previousProgramId' | 'createdAt' | 'updatedAt' | 'version'
  | 'applicationsOpenAt' | 'applicationsCloseAt' | 'selectionClosedAt' | 'eligibility' | 'contestPosts'>
  & { applicationsOpenAt: string; applicationsCloseAt: string; selectionClosedAt: string | null; eligibility: Record<string, unknown>; contestPosts: string[] };
export type DemoProgramTeam = Omit<ProgramTeam, 'createdAt' | 'version' | 'planUpdatedAt'> & { planUpdatedAt: string | null };
export type DemoProgramMember = Pick<ProgramMember, 'id' | 'programId' | 'districtId' | 'personId' | 'teamId' | 'status' | 'joinedOn'>;
export type DemoProgramMilestone = Omit<ProgramMilestone, 'createdAt'>;
export type DemoProgramOutput = Omit<ProgramOutput, 'createdAt' | 'version' | 'reviewedAt'> & { reviewedAt: string | null };

export interface DemoPrograms {
  programs: DemoProgram[];
  programTeams: DemoProgramTeam[];
  programMembers: DemoProgramMember[];
  programMilestones: DemoProgramMilestone[];
  programOutputs: DemoProgramOutput[];
}

export interface DemoDataset extends DemoCatalog, DemoPrograms {
  rubrics: DemoRubric[];
  assessmentItems: DemoAssessmentItem[];
  completionRules: DemoCompletionRule[];
  enrollments: DemoEnrollment[];
  enrollmentEvents: DemoEnrollmentEvent[];
  orgUnits: DemoOrgUnit[];
  groups: DemoGroup[];
  groupMembers: DemoGroupMember[];
  people: DemoPerson[];
  employments: DemoEmployment[];
  titleRecords: DemoTitleRecord[];
  certificates: DemoCertificate[];
  honours: DemoHonour[];
  stageRecords: DemoStageRecord[];
  users: DemoUser[];
  roleAssignments: DemoRoleAssignment[];
}
