import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound } from '../../common/errors.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import type { CompletionCondition } from './assessment.entities.js';
import { judge, type Outcome } from './completion-rules.js';
import { CompletionQuery, type CompletionRow, type RuleRow } from './completion.query.js';
import { conditionCell, conditionKey, conditionView, ruleView } from './completion-views.js';

interface EnrollmentRow {
  id: string;
  offeringId: string;
  personId: string;
  status: string;
  fullName: string;
}

/** Where learners stand: for one enrolment (the learner, their trainers, managers over them) and for a trainer's whole offering. */
@Injectable()
export class CompletionStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: CompletionQuery,
    private readonly offerings: OfferingDirectory,
    private readonly teaching: TeachingAccess,
    private readonly people: PeopleDirectory,
  ) {}

  /** The enrolment when the caller is the learner, teaches the offering, or manages enrolments or completions over the learner; else 404. */
  async visible(access: AccessContext, enrollmentId: string): Promise<{ enrollment: EnrollmentRow; context: OfferingContext; self: boolean; canReopen: boolean }> {
    const [enrollment]: EnrollmentRow[] = await this.db.query(
      `SELECT e.id, e.offering_id AS "offeringId", e.person_id AS "personId", e.status, p.full_name AS "fullName"
         FROM enrollment e JOIN person p ON p.id = e.person_id WHERE e.id = $1`, [enrollmentId]);
    if (!enrollment) throw new NotFound('enrollment', enrollmentId);
    const context = await this.offerings.context(enrollment.offeringId);
    const self = access.isSelf(enrollment.personId);
    const place = await this.people.personOrgPath(enrollment.personId);
    const canReopen = !!place && access.canAt('completion.manage', place.path);
    const allowed = self || canReopen || (!!place && access.canAt('enrollment.manage', place.path)) || (await this.teaching.canTeach(access, context));
    if (!allowed) throw new NotFound('enrollment', enrollmentId);
    return { enrollment, context, self, canReopen };
  }

  async status(access: AccessContext, enrollmentId: string, locale: Locale) {
    const { enrollment, context, self, canReopen } = await this.visible(access, enrollmentId);
    const { rules, inForce, titles } = await this.rules(enrollment.offeringId);
    const completions = await this.query.completions(null, enrollmentId);
    const open = completions.find((c) => c.reopenedAt === null) ?? null;
    let conditions: CompletionCondition[];
    let outcome: Outcome;
    if (open) {
      conditions = open.conditions;
      outcome = open.partial ? 'partial' : 'complete';
    } else {
      const judgement = await this.judgeLive(enrollment.offeringId, [enrollmentId], inForce);
      ({ conditions, outcome } = judgement.get(enrollmentId)!);
    }
    const judgedBy = open ? rules.find((r) => r.id === open.ruleId) ?? inForce : inForce;
    return {
      enrollmentId, offeringId: enrollment.offeringId, personId: enrollment.personId, fullName: enrollment.fullName,
      courseTitle: context.course.title, offeringLabel: context.offering.label, enrollmentStatus: enrollment.status, self, canReopen,
      ruleInForce: inForce ? ruleView(inForce, titles, inForce.id, locale) : null,
      judgedBy: judgedBy ? ruleView(judgedBy, titles, inForce?.id ?? null, locale) : null,
      complete: open !== null, outcome,
      conditions: conditions.map((c) => conditionView(c, locale)),
      completion: open ? completionView(open) : null,
      reopened: completions.filter((c) => c.reopenedAt !== null).map((c) => ({ sequence: c.sequence, reopenedAt: c.reopenedAt, reason: c.reopenReason })),
    };
  }

  /** Every learner of the offering × the conditions of the rule in force (a completed learner: the conditions they completed under). */
  async offering(access: AccessContext, offeringId: string, locale: Locale) {
    const context = await this.teaching.offering(access, offeringId);
    const { rules, inForce, titles } = await this.rules(offeringId);
    const learners = await this.query.learners(offeringId);
    const open = new Map((await this.query.openCompletionsOfOffering(offeringId)).map((c) => [c.enrollmentId, c]));
    const live = await this.judgeLive(offeringId, learners.filter((l) => !open.has(l.enrollmentId)).map((l) => l.enrollmentId), inForce);
    const columns: Array<{ key: string; kind: CompletionCondition['kind']; title: string | null }> = [];
    if (inForce && inForce.minAttendanceShare > 0) columns.push({ key: 'attendance', kind: 'attendance', title: null });
    for (const id of inForce?.requiredItemIds ?? []) columns.push({ key: `item:${id}`, kind: 'item', title: titles.get(id) ?? id });
    if (inForce?.requireEvaluation) columns.push({ key: 'evaluation', kind: 'evaluation', title: null });
    const rows = learners.map((learner) => {
      const completion = open.get(learner.enrollmentId) ?? null;
      const judged = completion ? { conditions: completion.conditions, outcome: (completion.partial ? 'partial' : 'complete') as Outcome } : live.get(learner.enrollmentId)!;
      const byKey = new Map(judged.conditions.map((c) => [conditionKey(c), c]));
      return {
        ...learner, outcome: judged.outcome, complete: completion !== null,
        cells: columns.map((column) => conditionCell(byKey.get(column.key), locale)),
        conditions: judged.conditions.map((c) => conditionView(c, locale)),
        completion: completion ? completionView(completion) : null,
      };
    });
    return {
      offering: { id: offeringId, code: context.offering.code, label: context.offering.label, courseTitle: context.course.title },
      ruleInForce: inForce ? ruleView(inForce, titles, inForce.id, locale) : null,
      rules: rules.map((r) => ruleView(r, titles, inForce?.id ?? null, locale)),
      columns, learners: rows,
      totals: { learners: rows.length, complete: rows.filter((r) => r.complete).length },
    };
  }

  async rules(offeringId: string): Promise<{ rules: RuleRow[]; inForce: RuleRow | null; titles: Map<string, string> }> {
    await this.query.ensureDefaultRule(null, offeringId);
    const [rules, inForce, items] = await Promise.all([
      this.query.rules(null, offeringId), this.query.ruleInForce(null, offeringId), this.query.items(null, offeringId),
    ]);
    return { rules, inForce, titles: new Map(items.map((i) => [i.id, i.title])) };
  }

  private async judgeLive(offeringId: string, enrollmentIds: string[], rule: RuleRow | null) {
    const out = new Map<string, { conditions: CompletionCondition[]; outcome: Outcome }>();
    if (!enrollmentIds.length) return out;
    if (!rule) {
      for (const id of enrollmentIds) out.set(id, { conditions: [], outcome: 'incomplete' });
      return out;
    }
    const items = (await this.query.items(null, offeringId)).filter((i) => rule.requiredItemIds.includes(i.id));
    const facts = await this.query.facts(null, offeringId, enrollmentIds, items);
    for (const id of enrollmentIds) {
      const { conditions, outcome } = judge(rule, facts.get(id)!);
      out.set(id, { conditions, outcome });
    }
    return out;
  }
}

function completionView(c: CompletionRow) {
  return {
    id: c.id, sequence: c.sequence, completedAt: c.completedAt, completedOn: shanghaiDate(c.completedAt), hours: c.hours, credits: c.credits,
    partial: c.partial, attendedHours: c.attendedHours, scheduledHours: c.scheduledHours, ruleId: c.ruleId,
    certificate: c.certificateId
      ? { id: c.certificateId, code: c.certificateCode, status: c.certificateStatus, url: `/certificates/${c.certificateId}`, pdfUrl: `/certificates/${c.certificateId}/pdf` }
      : null,
  };
}
