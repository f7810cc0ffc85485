import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { EthicsSanction, type EthicsSanctionKind } from './ethics-sanction.entity.js';
import { sanctionDates, sanctionStatus, type BlockPurpose, type SanctionStatus } from './ethics-rules.js';

export { addMonths } from './ethics-rules.js';

export interface RecordSanctionInput {
  kind: EthicsSanctionKind;
  decidedOn: string;
  sanctionUntil?: string;
  blocksUntil?: string;
  reason: string;
}

export interface CorrectSanctionInput extends Partial<RecordSanctionInput> {
  correctionReason: string;
}

export interface SanctionView {
  id: string;
  kind: EthicsSanctionKind;
  decidedOn: string;
  sanctionUntil: string | null;
  blocksUntil: string;
  reason: string;
  status: SanctionStatus;
  revokedAt: Date | null;
  revokeReason: string | null;
  correctedAt: Date | null;
}

/**
 * Ethics sanctions (师德失范处理) and the blocks they put on title evaluation, promotion, awards,
 * program selection and enrolment. Every place that makes one of those decisions asks `blocks`
 * (or `activeBlock` for one person): a sanction blocks from its decision date through `blocksUntil`.
 */
@Injectable()
export class EthicsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(EthicsSanction) private readonly sanctions: Repository<EthicsSanction>,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
  ) {}

  /**
   * The sanction blocking each person on `onDate` for `purpose` (the one blocking longest); people
   * without one are absent. Every purpose shares the sanction's `blocksUntil` (no less than 24 months,
   * 教师〔2018〕19号); the purpose is named so a region's rule can differ per decision later.
   */
  async blocks(personIds: string[], onDate: string, _purpose: BlockPurpose, manager?: EntityManager): Promise<Map<string, EthicsSanction>> {
    const found = new Map<string, EthicsSanction>();
    if (!personIds.length) return found;
    const rows = await (manager ?? this.db.manager).getRepository(EthicsSanction).createQueryBuilder('s')
      .where('s.person_id = ANY(:personIds) AND s.revoked_at IS NULL AND s.decided_on <= :onDate AND s.blocks_until >= :onDate', { personIds, onDate })
      .orderBy('s.blocks_until', 'DESC').getMany();
    for (const row of rows) if (!found.has(row.personId)) found.set(row.personId, row);
    return found;
  }

  /** The sanction blocking the person on `onDate`, if any. */
  async activeBlock(personId: string, onDate: string, purpose: BlockPurpose = 'enrollment'): Promise<EthicsSanction | null> {
    return (await this.blocks([personId], onDate, purpose)).get(personId) ?? null;
  }

  /** District staff with ethics.manage see every record (revoked ones too); the person sees their own standing records. */
  async list(access: AccessContext, personId: string): Promise<SanctionView[]> {
    const self = access.isSelf(personId);
    if (!self) await this.personInScope(access, personId);
    const rows = await this.sanctions.find({ where: { personId }, order: { decidedOn: 'DESC', createdAt: 'DESC' } });
    const today = shanghaiDate();
    return rows.filter((r) => !self || access.can('ethics.manage') || !r.revokedAt).map((r) => view(r, today));
  }

  /** Records a sanction; the same decision again (a retry, a double click) answers the first record. */
  async record(access: AccessContext, personId: string, input: RecordSanctionInput): Promise<SanctionView> {
    const person = await this.personInScope(access, personId);
    const { dates, problems } = sanctionDates(input);
    if (problems.length) throw new ValidationFailed(problems);
    const saved = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('ethics_sanction:' || $1))`, [personId]);
      const repo = manager.getRepository(EthicsSanction);
      const existing = await repo.createQueryBuilder('s')
        .where('s.person_id = :personId AND s.kind = :kind AND s.decided_on = :decidedOn AND s.revoked_at IS NULL', { personId, kind: input.kind, decidedOn: input.decidedOn })
        .getOne();
      if (existing) return existing;
      const sanction = await repo.save(repo.create({
        personId, districtId: person.districtId, kind: input.kind, decidedOn: input.decidedOn, ...dates,
        reason: input.reason, recordedBy: access.userId, revokedAt: null, revokedBy: null, revokeReason: null, correctedAt: null,
      }));
      await this.audit.record(access.userId, 'create', 'ethics_sanction', sanction.id, person.districtId, null, { ...sanction }, manager);
      return sanction;
    });
    return view(saved, shanghaiDate());
  }

  /** Corrects a recorded sanction (a wrong kind, date or text); dates not given follow the corrected kind and decision. */
  async correct(access: AccessContext, personId: string, sanctionId: string, input: CorrectSanctionInput): Promise<SanctionView> {
    const person = await this.personInScope(access, personId);
    const saved = await this.db.transaction(async (manager) => {
      const sanction = await this.lock(manager, personId, sanctionId);
      if (sanction.revokedAt) throw ValidationFailed.field('sanctionId', 'SANCTION_REVOKED', 'A revoked sanction cannot be corrected');
      const kind = input.kind ?? sanction.kind;
      const decidedOn = input.decidedOn ?? sanction.decidedOn;
      const { dates, problems } = sanctionDates({ kind, decidedOn, sanctionUntil: input.sanctionUntil, blocksUntil: input.blocksUntil });
      if (problems.length) throw new ValidationFailed(problems);
      const before = { ...sanction };
      Object.assign(sanction, { kind, decidedOn, ...dates, reason: input.reason ?? sanction.reason, correctedAt: new Date() });
      await manager.save(sanction);
      await this.audit.record(access.userId, 'correct', 'ethics_sanction', sanction.id, person.districtId, before,
        { ...sanction, correctionReason: input.correctionReason }, manager);
      return sanction;
    });
    return view(saved, shanghaiDate());
  }

  /** Revokes a sanction (the decision was withdrawn); revoking again changes nothing. */
  async revoke(access: AccessContext, personId: string, sanctionId: string, reason: string): Promise<SanctionView> {
    const person = await this.personInScope(access, personId);
    const saved = await this.db.transaction(async (manager) => {
      const sanction = await this.lock(manager, personId, sanctionId);
      if (sanction.revokedAt) return sanction;
      const before = { ...sanction };
      Object.assign(sanction, { revokedAt: new Date(), revokedBy: access.userId, revokeReason: reason });
      await manager.save(sanction);
      await this.audit.record(access.userId, 'revoke', 'ethics_sanction', sanction.id, person.districtId, before, { ...sanction }, manager);
      return sanction;
    });
    return view(saved, shanghaiDate());
  }

  /** The person's name and place when the caller holds ethics.manage over them; otherwise they do not exist. */
  async personInScope(access: AccessContext, personId: string) {
    const person = await this.people.personOrgPath(personId);
    if (!person || !access.canAt('ethics.manage', person.path)) throw new NotFound('person', personId);
    return person;
  }

  private async lock(manager: EntityManager, personId: string, sanctionId: string): Promise<EthicsSanction> {
    const sanction = await manager.findOne(EthicsSanction, { where: { id: sanctionId, personId }, lock: { mode: 'pessimistic_write' } });
    if (!sanction) throw new NotFound('ethics_sanction', sanctionId);
    return sanction;
  }
}

function view(s: EthicsSanction, today: string): SanctionView {
  return {
    id: s.id, kind: s.kind, decidedOn: s.decidedOn, sanctionUntil: s.sanctionUntil, blocksUntil: s.blocksUntil, reason: s.reason,
    status: sanctionStatus(s, today), revokedAt: s.revokedAt, revokeReason: s.revokeReason, correctedAt: s.correctedAt,
  };
}
