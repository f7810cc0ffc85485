import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FieldProblem } from '../../common/errors.js';
import type { Audience } from './catalog.entities.js';
import { CatalogReferenceQuery } from './catalog-reference.query.js';
import { audienceIds, audienceProblems } from './audience-rules.js';

/** Checks what a course or offering names beyond the fixed lists: trainers, stages, kindergartens and groups. */
@Injectable()
export class CatalogChecks {
  constructor(private readonly reference: CatalogReferenceQuery) {}

  /** Trainers must hold the trainer role over the district, or the expert role. */
  async trainerProblems(districtPath: string, userIds: string[], manager?: EntityManager, field = 'trainerUserIds'): Promise<FieldProblem[]> {
    if (!userIds.length) return [];
    const known = new Set((await this.reference.trainers(districtPath, userIds, manager)).map((t) => t.userId));
    const unknown = userIds.filter((id) => !known.has(id));
    return unknown.length ? [{ field, code: 'UNKNOWN_TRAINER', message: `${field} are not trainers or experts: ${unknown.join(', ')}` }] : [];
  }

  /** Each audience, named by its field prefix (`audience`, `priorityTiers.0.audience`), checked against the district. */
  async audienceProblems(districtId: string, audiences: Array<[string, Audience]>, manager?: EntityManager): Promise<FieldProblem[]> {
    if (!audiences.length) return [];
    const ids = audienceIds(audiences.map(([, audience]) => audience));
    // One after another: inside a transaction they share its connection.
    const stages = await this.reference.stages(manager);
    const kindergartens = ids.kindergartenIds.length ? await this.reference.kindergartens(districtId, ids.kindergartenIds, manager) : [];
    const groups = ids.groupIds.length ? await this.reference.groups(districtId, ids.groupIds, manager) : [];
    const active = (kind: string) => new Set(stages.filter((s) => s.kind === kind && s.active).map((s) => s.code));
    const reference = {
      teacherStages: active('teacher'), principalStages: active('principal'),
      kindergartenIds: new Set(kindergartens.map((k) => k.id)), groupIds: new Set(groups.map((g) => g.id)),
    };
    return audiences.flatMap(([prefix, audience]) => audienceProblems(audience, reference, prefix));
  }
}
