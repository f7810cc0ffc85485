import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { reasonRequired, staleGrade } from './grading-errors.js';
import { sameGrade, type GradeValues } from './grading-rules.js';
import { GradingQuery, type EnrollmentRow, type GradeRow } from './grading.query.js';

export interface GradeWrite {
  itemId: string;
  enrollment: EnrollmentRow;
  values: GradeValues;
  actorUserId: string;
  /** Why a released grade changes; required then. */
  reason: string | null;
  /** The version the caller saw, when it sent one. */
  expectedVersion?: number;
  action: 'grade' | 'reconcile' | 'import';
}

export interface GradeWritten {
  enrollmentId: string;
  personId: string;
  changed: boolean;
  /** The grade was already released, so the learner sees the change. */
  released: boolean;
  version: number;
}

const snapshot = (g: GradeValues) => ({
  points: g.points, rawPoints: g.rawPoints, passed: g.passed, feedback: g.feedback, criteria: g.criteria, submissionId: g.submissionId,
});

/**
 * Writes an agreed grade inside the caller's transaction, under the grade row's lock: nothing when it
 * is the same as before; a change to a released grade needs a reason and leaves a history row; every
 * change is audited. The caller holds the enrolment's lock, so two trainers saving at once are serialised.
 */
@Injectable()
export class GradeWriter {
  constructor(private readonly query: GradingQuery, private readonly audit: AuditService) {}

  async write(manager: EntityManager, w: GradeWrite): Promise<GradeWritten> {
    const current = await this.query.grade(w.itemId, w.enrollment.id, manager, true);
    const base = { enrollmentId: w.enrollment.id, personId: w.enrollment.personId, released: !!current?.releasedAt };
    if (w.expectedVersion !== undefined && (current?.version ?? 0) !== w.expectedVersion) throw staleGrade(current?.version ?? 0);
    if (current && sameGrade(current, w.values)) return { ...base, changed: false, version: current.version };
    const reason = w.reason?.trim() || null;
    if (current?.releasedAt && !reason) throw reasonRequired();
    const version = await this.query.upsertGrade(manager, { itemId: w.itemId, enrollment: w.enrollment }, w.values, w.actorUserId);
    if (current?.releasedAt) {
      await this.query.insertHistory(manager, {
        itemId: w.itemId, enrollmentId: w.enrollment.id, districtId: w.enrollment.districtId, changedBy: w.actorUserId, reason: reason!,
        before: snapshot(current), after: snapshot(w.values),
      });
    }
    await this.audit.record(w.actorUserId, current ? 'update' : 'create', 'grade', `${w.itemId}:${w.enrollment.id}`, w.enrollment.districtId,
      current ? { ...snapshot(current), via: null, ...(reason ? { reason: null } : {}) } : null, { ...snapshot(w.values), via: w.action, ...(reason ? { reason } : {}) }, manager);
    return { ...base, changed: true, version };
  }
}

export type { GradeRow };
