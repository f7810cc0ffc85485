import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { districtIdOfPath, type AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import { FieldCipher } from '../../common/field-cipher.js';
import { maskNationalId, normaliseNationalId } from '../../common/national-id.js';
import { AuditService } from '../audit/audit.service.js';
import { EmploymentHooks, type NewEmployment } from '../people/employment-hooks.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { BackgroundCheck } from './titles.entities.js';
import { ChecksQuery, type CandidateCheckRow, type CheckRow, type DueCheck } from './checks.query.js';
import type { RecordCandidateCheckDto, RecordCheckDto } from './checks.dto.js';
import { addMonths } from './ethics-rules.js';

/** A re-check is listed this many days before it falls due. */
export const DUE_SOON_DAYS = 30;
/** A pre-employment check counts for a hire starting at most this long after it. */
const PRE_EMPLOYMENT_VALID_MONTHS = 12;

export const backgroundCheckHit = () =>
  new DomainError('BACKGROUND_CHECK_HIT', 422, 'The background check (入职查询) blocks this employment; ask district HR');
export const backgroundCheckMissing = (startDate: string) =>
  new DomainError('BACKGROUND_CHECK_MISSING', 422, `A clear pre-employment background check must be recorded before the employment starts (${startDate})`,
    { startDate }, { startDate });

export interface DueChecks {
  asOf: string;
  items: Array<DueCheck & { overdue: boolean }>;
  neverChecked: number;
}

/**
 * Background checks (入职查询): recorded by district HR, and nobody else learns they exist (404).
 * A hire entered through the API or pages needs a clear pre-employment check dated on or before
 * its start; a hit as the latest result blocks any new employment (a move too).
 */
@Injectable()
export class ChecksService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ChecksQuery,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
    private readonly employmentHooks: EmploymentHooks,
    private readonly cipher: FieldCipher,
  ) {}

  onModuleInit(): void {
    this.employmentHooks.onNewEmployment((manager, employment) => this.guardEmployment(manager, employment));
  }

  async list(access: AccessContext, personId: string): Promise<CheckRow[]> {
    await this.personInScope(access, personId);
    return this.query.forPerson(personId);
  }

  /** Records a check; the same check again (a retry) answers the first record. */
  async record(access: AccessContext, personId: string, input: RecordCheckDto): Promise<CheckRow> {
    const person = await this.personInScope(access, personId);
    if (input.checkedOn < input.authorisedOn) {
      throw ValidationFailed.field('checkedOn', 'CHECK_BEFORE_AUTHORISATION', 'checkedOn must not be before authorisedOn');
    }
    const id = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('background_check:' || $1))`, [personId]);
      const repo = manager.getRepository(BackgroundCheck);
      const existing = await repo.findOneBy({ personId, kind: input.kind, checkedOn: input.checkedOn, authorisationRef: input.authorisationRef });
      if (existing) return existing.id;
      const check = await repo.save(repo.create({
        personId, districtId: person.districtId, kind: input.kind, authorisedOn: input.authorisedOn, authorisationRef: input.authorisationRef,
        checkedOn: input.checkedOn, result: input.result, note: input.note ?? null, recordedBy: access.userId,
      }));
      // The audit keeps that a check was recorded and its result, as the record itself does.
      await this.audit.record(access.userId, 'create', 'background_check', check.id, person.districtId, null, { ...check }, manager);
      return check.id;
    });
    return (await this.query.forPerson(personId)).find((c) => c.id === id)!;
  }

  /**
   * A candidate's pre-employment check, recorded by national ID before the kindergarten creates their
   * person record (which links it). Only the ID's keyed lookup hash is stored. If the ID already
   * belongs to a person HR manages, the check goes on that person's record.
   */
  async recordCandidate(access: AccessContext, input: RecordCandidateCheckDto): Promise<CandidateCheckRow & { nationalId: string }> {
    const districtPath = access.scopePaths('checks.manage').find((path) => districtIdOfPath(path));
    if (!districtPath) throw new NotFound('background_check');
    if (input.checkedOn < input.authorisedOn) {
      throw ValidationFailed.field('checkedOn', 'CHECK_BEFORE_AUTHORISATION', 'checkedOn must not be before authorisedOn');
    }
    const nationalId = normaliseNationalId(input.nationalId);
    const hash = this.cipher.lookupHash(nationalId);
    const { nationalId: _id, fullName, ...check } = input;
    const existing = await this.query.personIdByNationalIdHash(hash);
    let id: string;
    if (existing && (await this.people.personOrgPath(existing).then((p) => p && access.canAt('checks.manage', p.path)))) {
      id = (await this.record(access, existing, check)).id;
    } else {
      const districtId = districtIdOfPath(districtPath)!;
      id = await this.db.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('background_check:' || $1))`, [hash]);
        const repo = manager.getRepository(BackgroundCheck);
        const repeated = await repo.findOneBy({ nationalIdHash: hash, kind: check.kind, checkedOn: check.checkedOn, authorisationRef: check.authorisationRef });
        if (repeated) return repeated.id;
        const saved = await repo.save(repo.create({
          personId: null, nationalIdHash: hash, candidateName: fullName, districtId, kind: check.kind, authorisedOn: check.authorisedOn,
          authorisationRef: check.authorisationRef, checkedOn: check.checkedOn, result: check.result, note: check.note ?? null, recordedBy: access.userId,
        }));
        const { nationalIdHash: _h, ...audited } = saved;
        await this.audit.record(access.userId, 'create', 'background_check', saved.id, districtId, null, { ...audited }, manager);
        return saved.id;
      });
    }
    return { ...(await this.query.candidateCheck(id)), fullName, nationalId: maskNationalId(nationalId) };
  }

  /** Who is due (within the next 30 days) or overdue, under the caller's checks.manage scope. */
  async due(access: AccessContext, asOf = shanghaiDate()): Promise<DueChecks> {
    if (!access.can('checks.manage')) throw new NotFound('background_check');
    return this.dueUnder(access.scopePaths('checks.manage'), asOf);
  }

  async dueUnder(scopePaths: string[], asOf: string): Promise<DueChecks> {
    const horizon = addDays(asOf, DUE_SOON_DAYS);
    const { items, neverChecked } = await this.query.due(scopePaths, asOf, horizon);
    return { asOf, items: items.map((i) => ({ ...i, overdue: i.dueOn < asOf })), neverChecked };
  }

  /** The person's name and place when the caller manages checks over them; for anyone else the records do not exist. */
  async personInScope(access: AccessContext, personId: string) {
    const person = await this.people.personOrgPath(personId);
    if (!person || !access.canAt('checks.manage', person.path)) throw new NotFound('person', personId);
    return person;
  }

  private async guardEmployment(manager: EntityManager, employment: NewEmployment): Promise<void> {
    if (employment.newPerson) await this.query.linkCandidateChecks(manager, employment.personId, employment.newPerson.nationalIdHash);
    const checks = await this.query.latestFirst(manager, employment.personId);
    if (checks[0]?.result === 'hit') throw backgroundCheckHit();
    if (!employment.hire) return;
    // Existing staff entered after the fact: allowed, and listed as due ('no_check') until HR records a check.
    if (employment.newPerson && employment.startDate < shanghaiDate()) return;
    const earliest = addMonths(employment.startDate, -PRE_EMPLOYMENT_VALID_MONTHS);
    const cleared = checks.some((c) => c.kind === 'pre_employment' && c.result === 'clear' && c.checkedOn <= employment.startDate && c.checkedOn >= earliest);
    if (!cleared) throw backgroundCheckMissing(employment.startDate);
  }
}

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}
