import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { CreditCycle } from './credit.entities.js';

/** The periods credits count toward: a region's own cycle (by the org unit code above the person) wins over the national one. */
@Injectable()
export class CreditCyclesService {
  constructor(@InjectRepository(CreditCycle) private readonly cycles: Repository<CreditCycle>) {}

  list(): Promise<CreditCycle[]> {
    return this.cycles.find({ order: { startsOn: 'ASC', regionCode: 'ASC' } });
  }

  /** The cycle containing `onDate` for someone at `orgPath`: the deepest region's, else the national one; null when none. */
  async cycleFor(orgPath: string, onDate: string, manager?: EntityManager): Promise<CreditCycle | null> {
    const rows: Array<{ id: string }> = await (manager ?? this.cycles.manager).query(
      `SELECT c.id FROM credit_cycle c LEFT JOIN org_unit r ON r.code = c.region_code
        WHERE $2::date BETWEEN c.starts_on AND c.ends_on
          AND (c.region_code IS NULL OR $1 LIKE r.path || '%')
        ORDER BY r.depth DESC NULLS LAST, c.starts_on DESC LIMIT 1`, [orgPath, onDate]);
    return rows[0] ? (manager?.getRepository(CreditCycle) ?? this.cycles).findOneBy({ id: rows[0].id }) : null;
  }

  /** Cycle ids by code or id (codes may repeat across regions); empty when none matches. */
  async idsOf(codeOrId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.cycles.query(
      `SELECT id FROM credit_cycle WHERE code = $1 OR id::text = lower($1)`, [codeOrId]);
    return rows.map((r) => r.id);
  }
}
