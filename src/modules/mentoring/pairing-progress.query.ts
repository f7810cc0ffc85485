import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Side } from './activity-rules.js';
import type { ActivityKind, TermTargets } from './mentoring.entities.js';
import { termProgress, type TermProgress } from './progress.js';

/**
 * One term's progress for a whole page of pairings in one query: each pairing's rule (its
 * district's, else the default row) and its confirmed activities of the term with the actor's side.
 * The counting itself is progress.ts's, as for a single pairing.
 */
@Injectable()
export class PairingProgressQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forTerm(pairingIds: string[], term: string): Promise<Map<string, TermProgress>> {
    if (!pairingIds.length) return new Map();
    const rows: Array<{ id: string; targets: TermTargets; confirmed: Array<{ kind: ActivityKind; side: Side | null }> }> = await this.db.query(
      `SELECT p.id, r.term_targets AS targets,
              coalesce((SELECT json_agg(json_build_object('kind', a.kind, 'side',
                         CASE WHEN a.actor_person_id = p.mentee_person_id THEN 'mentee'
                              WHEN EXISTS (SELECT 1 FROM mentor_link l WHERE l.pairing_id = p.id AND l.mentor_person_id = a.actor_person_id) THEN 'mentor' END))
                          FROM mentoring_activity a WHERE a.pairing_id = p.id AND a.term = $2 AND a.status = 'confirmed'), '[]') AS confirmed
         FROM mentor_pairing p
         CROSS JOIN LATERAL (SELECT term_targets FROM mentoring_rule WHERE district_id = p.district_id OR district_id IS NULL
                              ORDER BY district_id IS NULL LIMIT 1) r
        WHERE p.id = ANY($1::uuid[])`, [pairingIds, term]);
    return new Map(rows.map((r) => [r.id, termProgress(term, r.targets,
      r.confirmed.flatMap((a) => (a.side ? [{ kind: a.kind, actorSide: a.side }] : [])))]));
  }
}

/** Compact form for lists: "示范课 1/1 · 公开课 0/1 …" is built by the template from these items. */
export function progressSummary(progress: TermProgress | undefined) {
  if (!progress) return null;
  return {
    term: progress.term, allMet: progress.allMet,
    met: progress.items.filter((i) => i.met).length, total: progress.items.length,
    items: progress.items.map((i) => ({ key: i.key, done: i.done, target: i.target, met: i.met })),
  };
}
