import type { StaffBatch, StaffState, StoredPhone } from '../people/people-bulk-writer.js';
import { TITLE_RANK } from '../people/people-rules.js';
import type { EducationLevel, Gender, Post } from '../people/person.entity.js';
import type { CertificateKind, Title } from '../people/person-records.entity.js';
import { problem, type ImportProblem } from './import-kinds-cells.js';

/**
 * What the dry run keeps of a valid staff row (import_row.data) and the apply writes from: the
 * national ID only encrypted, hashed and masked, never in plain text. `changes` lists the fields the
 * row changes on an existing person, for the page and the result file.
 */
export interface StaffRowData {
  fullName: string;
  nationalIdHash: string;
  nationalIdEnc: string;
  nationalIdMasked: string;
  gender: Gender;
  birthDate: string;
  /** Null: the file gives no phone (the one on record is kept). */
  phone: StoredPhone | null;
  educationLevel: EducationLevel;
  /** Null: not given (kept; false for a new person). */
  preschoolMajor: boolean | null;
  hireDate: string | null;
  kindergartenId: string;
  kindergartenCode: string;
  post: Post;
  postStartDate: string;
  title: { title: Title; effectiveDate: string; approvingBody: string } | null;
  certificates: Array<{ kind: CertificateKind; number: string; issuedOn: string; field: string }>;
  changes: string[];
}

/** One row's writes, or the problems that stop it. */
export interface StaffPlan {
  problems: ImportProblem[];
  changes: string[];
  create: boolean;
  batch: StaffBatch;
}

const TITLE_WORDS: Record<Title, string> = { third: '三级', second: '二级', first: '一级', senior: '高级', professorial: '正高级' };

/**
 * Compares a row with the person on record (null: nobody has this national ID) and answers the writes
 * that bring the record in line: a new person with employment, title and certificates; or the changed
 * basic data, a new employment when the kindergarten or post differs, a new title when it is higher,
 * certificates not yet on record. Empty cells never clear what is on record; titles only go up.
 * `holders` maps `kind:number` to the national ID hash of whoever holds that certificate.
 */
export function planStaffRow(row: StaffRowData, state: StaffState | null, holders: Map<string, string>, districtId: string): StaffPlan {
  const problems: ImportProblem[] = [];
  const batch: StaffBatch = { newPeople: [], changes: [], employments: [], titles: [], certificates: [] };
  const changes: string[] = [];
  const hash = row.nationalIdHash;
  if (state && state.districtId !== districtId) {
    problems.push(problem('nationalId', 'PERSON_IN_OTHER_DISTRICT', 'This person is on record in another district'));
    return { problems, changes, create: false, batch };
  }
  for (const certificate of row.certificates) {
    const holder = holders.get(`${certificate.kind}:${certificate.number}`);
    if (holder && holder !== hash) problems.push(problem(certificate.field, 'CERTIFICATE_TAKEN', 'This certificate number is on record for another person'));
  }
  if (state?.employment && (state.employment.orgUnitId !== row.kindergartenId || state.employment.post !== row.post)
    && row.postStartDate <= state.employment.startDate) {
    problems.push(problem('postStartDate', 'BEFORE_CURRENT_POST', 'The new post must start after the current one', { date: state.employment.startDate }));
  }
  if (state?.title && row.title) {
    if (TITLE_RANK[row.title.title] < TITLE_RANK[state.title.title]) {
      problems.push(problem('title', 'TITLE_LOWER_THAN_RECORD', 'The title on record is higher; titles only go up', { title: TITLE_WORDS[state.title.title] }));
    } else if (TITLE_RANK[row.title.title] > TITLE_RANK[state.title.title] && row.title.effectiveDate < state.title.effectiveDate) {
      problems.push(problem('titleDate', 'TITLE_DATE_BEFORE_CURRENT', 'A higher title cannot predate the title on record', { date: state.title.effectiveDate }));
    }
  }
  if (problems.length) return { problems, changes, create: false, batch };

  const employment = { nationalIdHash: hash, orgUnitId: row.kindergartenId, districtId, post: row.post, startDate: row.postStartDate };
  if (!state) {
    batch.newPeople.push({
      nationalIdHash: hash, nationalIdEnc: row.nationalIdEnc, nationalIdMasked: row.nationalIdMasked, districtId,
      fullName: row.fullName, gender: row.gender, birthDate: row.birthDate, phone: row.phone, educationLevel: row.educationLevel,
      preschoolMajor: row.preschoolMajor ?? false, hireDate: row.hireDate,
    });
    batch.employments.push(employment);
    if (row.title) batch.titles.push({ nationalIdHash: hash, ...row.title });
    batch.certificates.push(...row.certificates.map(({ kind, number, issuedOn }) => ({ nationalIdHash: hash, kind, number, issuedOn })));
    return { problems, changes, create: true, batch };
  }

  const change: StaffBatch['changes'][number] = { nationalIdHash: hash };
  if (row.fullName !== state.fullName) { change.fullName = row.fullName; changes.push('fullName'); }
  if (row.phone && row.phone.hash !== state.phoneHash) { change.phone = row.phone; changes.push('phone'); }
  if (row.educationLevel !== state.educationLevel) { change.educationLevel = row.educationLevel; changes.push('educationLevel'); }
  if (row.preschoolMajor !== null && row.preschoolMajor !== state.preschoolMajor) { change.preschoolMajor = row.preschoolMajor; changes.push('preschoolMajor'); }
  if (row.hireDate && row.hireDate !== state.hireDate) { change.hireDate = row.hireDate; changes.push('hireDate'); }
  if (changes.length) batch.changes.push(change);

  const current = state.employment;
  if (!current || current.orgUnitId !== row.kindergartenId || current.post !== row.post) {
    batch.employments.push(employment);
    if (!current || current.orgUnitId !== row.kindergartenId) changes.push('kindergartenCode');
    if (!current || current.post !== row.post) changes.push('post');
  }
  if (row.title && (!state.title || TITLE_RANK[row.title.title] > TITLE_RANK[state.title.title])) {
    batch.titles.push({ nationalIdHash: hash, ...row.title });
    changes.push('title');
  }
  for (const certificate of row.certificates) {
    if (state.certificates.some((c) => c.kind === certificate.kind && c.number === certificate.number)) continue;
    batch.certificates.push({ nationalIdHash: hash, kind: certificate.kind, number: certificate.number, issuedOn: certificate.issuedOn });
    changes.push(certificate.field);
  }
  return { problems, changes, create: false, batch };
}

/** Adds one row's writes to a batch's. */
export function mergeBatch(into: StaffBatch, from: StaffBatch): void {
  into.newPeople.push(...from.newPeople);
  into.changes.push(...from.changes);
  into.employments.push(...from.employments);
  into.titles.push(...from.titles);
  into.certificates.push(...from.certificates);
}
