import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { EthicsSanction, type EthicsSanctionKind } from './ethics-sanction.entity.js';

/** Months the sanction itself lasts (教师〔2018〕19号); dismissal has no end. */
const SANCTION_MONTHS: Record<EthicsSanctionKind, number | null> = { warning: 6, demerit: 12, demotion_or_removal: 24, dismissal: null };
/** Eligibility for awards, promotion, titles and programmes is withdrawn for at least this long. */
const MIN_BLOCK_MONTHS = 24;

export interface RecordSanctionInput {
  kind: EthicsSanctionKind;
  decidedOn: string;
  reason: string;
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Ethics sanctions (师德失范处理) and the blocks they put on enrolment, selection and promotion. */
@Injectable()
export class EthicsService {
  constructor(
    @InjectRepository(EthicsSanction) private readonly sanctions: Repository<EthicsSanction>,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
  ) {}

  /** The sanction blocking the person on `onDate`, if any (the one blocking longest). */
  async activeBlock(personId: string, onDate: string): Promise<EthicsSanction | null> {
    const rows = await this.sanctions.createQueryBuilder('s')
      .where('s.person_id = :personId AND s.revoked_at IS NULL AND s.decided_on <= :onDate AND s.blocks_until >= :onDate', { personId, onDate })
      .orderBy('s.blocks_until', 'DESC').limit(1).getMany();
    return rows[0] ?? null;
  }

  async list(access: AccessContext, personId: string): Promise<EthicsSanction[]> {
    await this.personInScope(access, personId);
    return this.sanctions.find({ where: { personId, revokedAt: IsNull() }, order: { decidedOn: 'DESC' } });
  }

  /** Records a sanction; the same decision again (a retry) returns the first record. */
  async record(access: AccessContext, personId: string, input: RecordSanctionInput): Promise<EthicsSanction> {
    const person = await this.personInScope(access, personId);
    const existing = await this.sanctions.findOneBy({ personId, kind: input.kind, decidedOn: input.decidedOn, revokedAt: IsNull() });
    if (existing) return existing;
    const months = SANCTION_MONTHS[input.kind];
    const sanctionUntil = months === null ? null : addMonths(input.decidedOn, months);
    const blocksUntil = months === null ? '9999-12-31' : addMonths(input.decidedOn, Math.max(months, MIN_BLOCK_MONTHS));
    const sanction = await this.sanctions.save(this.sanctions.create({
      personId, districtId: person.districtId, kind: input.kind, decidedOn: input.decidedOn, sanctionUntil, blocksUntil,
      reason: input.reason, recordedBy: access.userId,
    }));
    await this.audit.record(access.userId, 'create', 'ethics_sanction', sanction.id, person.districtId, null, { ...sanction });
    return sanction;
  }

  private async personInScope(access: AccessContext, personId: string) {
    const person = await this.people.personOrgPath(personId);
    if (!person || !access.canAt('ethics.manage', person.path)) throw new NotFound('person', personId);
    return person;
  }
}
