import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { MentorLink, MentorPairing, MentoringRule, type MentorRole } from './mentoring.entities.js';

export interface PairingContext {
  pairing: MentorPairing;
  links: MentorLink[];
  /** The caller's part: the mentee, one of the mentors, or an admin ('mentoring.manage') over a kindergarten involved. */
  as: 'mentee' | 'mentor' | 'admin';
  mentorRole: MentorRole | null;
  /** Org paths of the kindergartens involved (the mentee's, each mentor's, the base kindergarten). */
  kindergartenPaths: Record<string, string>;
}

/** What other mentoring code needs about a pairing: who may see it and in which role, and the rule in force. */
@Injectable()
export class PairingsDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The pairing with its links and the caller's role in it; 404 for anyone else. */
  async context(access: AccessContext, pairingId: string, manager?: EntityManager): Promise<PairingContext> {
    const m = manager ?? this.dataSource.manager;
    const pairing = await m.findOne(MentorPairing, { where: { id: pairingId } });
    if (!pairing) throw new NotFound('pairing', pairingId);
    const links = await m.find(MentorLink, { where: { pairingId }, order: { role: 'ASC' } });
    const kindergartenPaths = await this.paths(m, pairing, links);
    const asMentor = access.personId ? links.find((l) => l.mentorPersonId === access.personId) : undefined;
    if (access.personId && pairing.menteePersonId === access.personId) return { pairing, links, as: 'mentee', mentorRole: null, kindergartenPaths };
    if (asMentor) return { pairing, links, as: 'mentor', mentorRole: asMentor.role, kindergartenPaths };
    if (Object.values(kindergartenPaths).some((path) => access.canAt('mentoring.manage', path))) {
      return { pairing, links, as: 'admin', mentorRole: null, kindergartenPaths };
    }
    throw new NotFound('pairing', pairingId);
  }

  /** The district's mentoring rule, or the default row when the district has none. */
  async ruleFor(districtId: string, manager?: EntityManager): Promise<MentoringRule> {
    const m = manager ?? this.dataSource.manager;
    const rows = await m
      .createQueryBuilder(MentoringRule, 'r')
      .where('r.district_id = :districtId OR r.district_id IS NULL', { districtId })
      .orderBy('r.district_id IS NULL', 'ASC')
      .limit(1)
      .getMany();
    if (!rows[0]) throw new NotFound('mentoring_rule');
    return rows[0];
  }

  /** Same as context(); the name the helpers' brief used. */
  pairingFor(access: AccessContext, pairingId: string, manager?: EntityManager): Promise<PairingContext> {
    return this.context(access, pairingId, manager);
  }

  /** Same as ruleFor(). */
  rule(districtId: string, manager?: EntityManager): Promise<MentoringRule> {
    return this.ruleFor(districtId, manager);
  }

  private async paths(m: EntityManager, pairing: MentorPairing, links: MentorLink[]): Promise<Record<string, string>> {
    const ids = [pairing.menteeKindergartenId, pairing.baseKindergartenId, ...links.map((l) => l.mentorKindergartenId)].filter((id): id is string => !!id);
    const rows: { id: string; path: string }[] = await m.query(`SELECT id, path FROM org_unit WHERE id = ANY($1::uuid[])`, [[...new Set(ids)]]);
    return Object.fromEntries(rows.map((r) => [r.id, r.path]));
  }
}
