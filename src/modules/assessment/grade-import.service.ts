import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import type { UploadState } from '../files/upload-parser.js';
import { GradeWriter, type GradeWritten } from './grade-writer.service.js';
import {
  SHEET_HEADERS, buildGradeSheet, parseGradeSheet, readCell, sniffSheetFormat, type ParsedGradeSheet, type SheetFormat, type SheetProblem,
} from './grade-sheet.js';
import { importProblems } from './grading-errors.js';
import { GradingNotifier } from './grading-notifier.service.js';
import { GRADABLE_STATUSES, GradingQuery, type EnrollmentRow, type GradeRow, type OfferingItemRow } from './grading.query.js';

/** Larger sheets are refused: a few hundred learners × a dozen items stay far below this. */
export const GRADE_SHEET_MAX_BYTES = 512 * 1024;

export interface ImportChange {
  row: number;
  enrollmentId: string;
  learner: string;
  itemId: string;
  item: string;
  before: { points: number | null; passed: boolean } | null;
  after: { points: number | null; passed: boolean };
  /** The learner already sees this grade: the change is kept in its history with the reason. */
  released: boolean;
}

export interface ImportReport {
  dryRun: boolean;
  format: SheetFormat;
  changes: ImportChange[];
  problems: SheetProblem[];
  applied: number;
}

type GradeKey = `${string}:${string}`;

/**
 * The grade spreadsheet of an offering (current agreed grades) and its import: a dry run lists every
 * change and every problem; applying writes all changes in one transaction or, with any problem, none.
 * Only points and pass/fail items without second marking take grades from a sheet (a rubric's total
 * says nothing about its criteria). Values are the grades as learners see them (no late penalty is applied).
 */
@Injectable()
export class GradeImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: GradingQuery,
    private readonly teaching: TeachingAccess,
    private readonly people: PeopleDirectory,
    private readonly writer: GradeWriter,
    private readonly notifier: GradingNotifier,
  ) {}

  async sheet(access: AccessContext, offeringId: string, format: SheetFormat): Promise<{ filename: string; bytes: Buffer }> {
    const context = await this.teaching.offering(access, offeringId);
    const items = (await this.query.offeringItems(offeringId)).filter((i) => !i.archived && i.gradingMethod !== 'none');
    const enrollments = (await this.query.offeringEnrollments(offeringId)).filter((e) => GRADABLE_STATUSES.includes(e.status));
    const grades = await this.query.gradesOfItems(items.map((i) => i.id));
    const profiles = new Map((await this.people.learnerProfiles(enrollments.map((e) => e.personId))).map((p) => [p.personId, p]));
    const byKey = new Map(grades.map((g) => [`${g.itemId}:${g.enrollmentId}`, g]));
    const learners = enrollments.map((e) => ({
      enrollmentId: e.id, fullName: profiles.get(e.personId)?.fullName ?? '', kindergarten: profiles.get(e.personId)?.kindergartenName ?? null,
      grades: Object.fromEntries(items.map((i) => [i.id, byKey.get(`${i.id}:${e.id}`)])),
    })).sort((a, b) => (a.kindergarten ?? '').localeCompare(b.kindergarten ?? '', 'zh-CN') || a.fullName.localeCompare(b.fullName, 'zh-CN'));
    const bytes = await buildGradeSheet({ items, learners }, format);
    return { filename: `grades-${context.offering.code}.${format}`, bytes };
  }

  async import(access: AccessContext, offeringId: string, upload: UploadState, options: { dryRun?: unknown; reason?: unknown }): Promise<ImportReport> {
    const context = await this.teaching.offering(access, offeringId);
    const problems = [];
    if (upload.problem) problems.push(upload.problem);
    else if (!upload.file) problems.push({ field: 'file', code: 'required', message: 'send the grade sheet (XLSX or CSV) as the file field `file`' });
    else if (upload.file.size > GRADE_SHEET_MAX_BYTES) problems.push({ field: 'file', code: 'FILE_TOO_LARGE', message: `file is larger than ${GRADE_SHEET_MAX_BYTES} bytes` });
    if (options.dryRun !== undefined && options.dryRun !== 'true' && options.dryRun !== 'false' && typeof options.dryRun !== 'boolean') {
      problems.push({ field: 'dryRun', code: 'isBoolean', message: 'dryRun must be true or false' });
    }
    if (options.reason !== undefined && (typeof options.reason !== 'string' || options.reason.length > 2000)) {
      problems.push({ field: 'reason', code: 'maxLength', message: 'reason must be text of at most 2000 characters' });
    }
    if (problems.length) throw new ValidationFailed(problems);
    const dryRun = !(options.dryRun === 'false' || options.dryRun === false);
    const reason = typeof options.reason === 'string' && options.reason.trim() ? options.reason.trim() : null;
    const format = sniffSheetFormat(upload.file!.buffer, upload.file!.originalName);
    const parsed = await parseGradeSheet(upload.file!.buffer, format);

    if (dryRun) {
      const plan = await this.plan(offeringId, parsed, reason);
      return { dryRun, format, changes: await this.named(plan.changes, plan.enrollments), problems: plan.problems, applied: 0 };
    }
    const { changes, written, enrollments } = await inTransaction(this.db, async (manager) => {
      const plan = await this.plan(offeringId, parsed, reason, manager);
      if (plan.problems.length) throw importProblems(plan.problems);
      const results: Array<GradeWritten & { itemId: string }> = [];
      for (const change of plan.changes) {
        results.push({ itemId: change.itemId, ...(await this.apply(manager, access, change, plan.grades.get(`${change.itemId}:${change.enrollmentId}`), plan.enrollments, reason)) });
      }
      return { changes: plan.changes, written: results, enrollments: plan.enrollments };
    });
    const items = new Map(changes.map((c) => [c.itemId, c.item]));
    for (const [itemId, title] of items) {
      const learners = written.filter((w) => w.itemId === itemId && w.changed && w.released);
      await this.notifier.announce({ kind: 'changed', item: { id: itemId, title, offeringId }, courseTitle: context.course.title, learners });
    }
    return { dryRun, format, changes: await this.named(changes, enrollments), problems: [], applied: written.filter((w) => w.changed).length };
  }

  /** Reads every cell against the offering's items, enrolments and current grades; with a manager, the rows it may change are locked first. */
  private async plan(offeringId: string, parsed: ParsedGradeSheet, reason: string | null, manager?: EntityManager) {
    const problems: SheetProblem[] = [...parsed.problems];
    const items = new Map((await this.query.offeringItems(offeringId, manager)).map((i) => [i.id, i]));
    const usable = new Map<string, OfferingItemRow>();
    for (const column of parsed.columns) {
      const item = items.get(column.itemId);
      if (!item || item.archived) problems.push({ row: 1, column: column.header, code: 'unknown_item', message: `column "${column.header}" is not an item of this offering` });
      else if (item.gradingMethod === 'none') problems.push({ row: 1, column: column.header, code: 'not_graded', message: `"${item.title}" is not graded` });
      else usable.set(item.id, item);
    }
    const sheetIds = parsed.rows.map((r) => r.enrollmentId).filter((id) => /^[0-9a-f-]{36}$/.test(id));
    const enrollments = new Map((await this.query.offeringEnrollments(offeringId, manager, manager ? sheetIds : undefined)).map((e) => [e.id, e]));
    const grades = new Map<GradeKey, GradeRow>((await this.query.gradesOfItems([...usable.keys()], manager, !!manager)).map((g) => [`${g.itemId}:${g.enrollmentId}` as GradeKey, g]));
    const changes: ImportChange[] = [];
    const seen = new Set<string>();
    for (const row of parsed.rows) {
      const at = (column: string, code: string, message: string) => problems.push({ row: row.row, column, code, message });
      const enrollment = enrollments.get(row.enrollmentId);
      if (!enrollment) { at(SHEET_HEADERS.enrollmentId, 'unknown_enrollment', `"${row.enrollmentId}" is not an enrolment of this offering`); continue; }
      if (!GRADABLE_STATUSES.includes(enrollment.status)) { at(SHEET_HEADERS.enrollmentId, 'not_gradable', `the enrolment is ${enrollment.status}; only enrolled or completed learners are graded`); continue; }
      if (seen.has(enrollment.id)) { at(SHEET_HEADERS.enrollmentId, 'duplicate_row', 'this enrolment has another row above'); continue; }
      seen.add(enrollment.id);
      for (const cell of row.cells) {
        const item = usable.get(cell.column.itemId);
        if (!item) continue;
        const read = readCell(cell.text, item);
        if (!('value' in read)) { at(cell.column.header, read.code, read.message); continue; }
        const points = 'points' in read.value ? read.value.points : null;
        const passed = 'passed' in read.value ? read.value.passed : item.passPoints === null || points! >= item.passPoints;
        const current = grades.get(`${item.id}:${enrollment.id}`);
        if (current && current.points === points && current.passed === passed) continue;
        if (item.gradingMethod === 'rubric' || item.gradingMethod === 'guide') {
          at(cell.column.header, 'criteria_required', `"${item.title}" is graded criterion by criterion; grade it on the grading page, not by its total`);
        } else if (item.secondMarking) {
          at(cell.column.header, 'second_marking', `"${item.title}" is second-marked; its grade comes from reconciling two marks`);
        } else if (current?.releasedAt && !reason) {
          at(cell.column.header, 'reason_required', 'this grade has been released: give a reason to change it');
        } else {
          changes.push({
            row: row.row, enrollmentId: enrollment.id, learner: '', itemId: item.id, item: item.title,
            before: current ? { points: current.points, passed: current.passed } : null, after: { points, passed }, released: !!current?.releasedAt,
          });
        }
      }
    }
    return { changes, problems, grades, enrollments };
  }

  /** Learners' names, read after any transaction (the people directory uses its own connection). */
  private async named(changes: ImportChange[], enrollments: Map<string, EnrollmentRow>): Promise<ImportChange[]> {
    const personOf = (c: ImportChange) => enrollments.get(c.enrollmentId)!.personId;
    const names = new Map((await this.people.learnerProfiles([...new Set(changes.map(personOf))])).map((p) => [p.personId, p.fullName]));
    return changes.map((c) => ({ ...c, learner: names.get(personOf(c)) ?? '' }));
  }

  /** One change as a grade (feedback kept) and the importer's mark. */
  private async apply(
    manager: EntityManager, access: AccessContext, change: ImportChange, current: GradeRow | undefined, enrollments: Map<string, EnrollmentRow>, reason: string | null,
  ): Promise<GradeWritten> {
    const enrollment = enrollments.get(change.enrollmentId)!;
    const [submission] = await this.query.submissions(change.itemId, enrollment.id, manager);
    const { points, passed } = change.after;
    const values = { rawPoints: points, points, passed, criteria: [], feedback: current?.feedback ?? null, submissionId: submission?.id ?? current?.submissionId ?? null };
    const written = await this.writer.write(manager, { itemId: change.itemId, enrollment, values, actorUserId: access.userId, reason, action: 'import' });
    await this.query.upsertMark(manager, {
      itemId: change.itemId, enrollmentId: enrollment.id, markerUserId: access.userId, districtId: enrollment.districtId, role: 'first',
      submissionId: values.submissionId, points, passed: points === null ? passed : null, criteria: [], feedback: values.feedback,
    }, true);
    return written;
  }
}
