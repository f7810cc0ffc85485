import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { Person as PersonEntity, type Person } from './person.entity.js';
import { Employment, PersonCertificate, PersonHonour, StageDefinition, StageRecord, TitleRecord } from './person-records.entity.js';
import type { AddCertificateDto, AddEmploymentDto, AddHonourDto, AddStageDto, AddTitleDto, UpdateEmploymentDto } from './person-records.dto.js';
import { CertificateExists, EmploymentNotFound } from './people-errors.js';
import { dayBefore, titleEntryProblems } from './people-rules.js';
import { PeopleService, personAuditView } from './people.service.js';
import { EmploymentHooks } from './employment-hooks.js';

const mustFollowBirth = (field: string, date: string, person: Person) => {
  if (date <= person.birthDate) throw ValidationFailed.field(field, 'BEFORE_BIRTH', `${field} must be after the birth date`);
};

/**
 * A person's histories: employments (moves keep the old post, ended), titles (only upwards unless
 * corrected), certificates, honours and development stages. Every change locks the person's row
 * and is audited in the same transaction.
 */
@Injectable()
export class PersonRecordsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly hooks: EmploymentHooks,
  ) {}

  /** Starts a post; a current one is ended (by default the day before), so a move keeps the whole history. */
  async addEmployment(access: AccessContext, personId: string, input: AddEmploymentDto): Promise<Employment> {
    return this.db.transaction(async (manager) => {
      const { person } = await this.people.lockForWrite(manager, access, personId);
      const kindergarten = await this.people.kindergartenForWrite(manager, access, input.orgUnitId, 'orgUnitId');
      mustFollowBirth('startDate', input.startDate, person);
      const open = await manager.find(Employment, { where: { personId, endDate: IsNull() } });
      // The same request again (a retry) finds its own employment already open and changes nothing.
      const repeated = open.find((e) => e.orgUnitId === kindergarten.id && e.post === input.post && e.startDate === input.startDate);
      if (repeated) return repeated;
      if (input.endCurrentOn && !open.length) {
        throw ValidationFailed.field('endCurrentOn', 'NO_CURRENT_EMPLOYMENT', 'There is no current employment to end');
      }
      const endOn = input.endCurrentOn ?? dayBefore(input.startDate);
      if (endOn > input.startDate) throw ValidationFailed.field('endCurrentOn', 'END_AFTER_NEW_START', 'endCurrentOn must not be after startDate');
      for (const current of open) {
        if (endOn < current.startDate) {
          throw ValidationFailed.field(input.endCurrentOn ? 'endCurrentOn' : 'startDate', 'END_BEFORE_START',
            `The current employment started on ${current.startDate}; the new one must start later`);
        }
      }
      await this.hooks.beforeNewEmployment(manager, {
        personId, districtId: kindergarten.districtId!, orgUnitId: kindergarten.id, startDate: input.startDate, hire: open.length === 0,
      });
      for (const current of open) {
        const before = { ...current };
        current.endDate = endOn;
        await manager.save(current);
        await this.audit.record(access.userId, 'update', 'employment', current.id, current.districtId, before, { ...current }, manager);
      }
      const employment = await manager.save(manager.create(Employment, {
        personId, orgUnitId: kindergarten.id, districtId: kindergarten.districtId!, post: input.post,
        startDate: input.startDate, endDate: null, note: input.note ?? null,
      }));
      await this.audit.record(access.userId, 'create', 'employment', employment.id, employment.districtId, null, { ...employment }, manager);
      await this.followCurrentEmployment(manager, access, person);
      return employment;
    });
  }

  async updateEmployment(access: AccessContext, personId: string, employmentId: string, input: UpdateEmploymentDto): Promise<Employment> {
    return this.db.transaction(async (manager) => {
      const { person } = await this.people.lockForWrite(manager, access, personId);
      const employment = await manager.findOneBy(Employment, { id: employmentId, personId });
      if (!employment) throw new EmploymentNotFound(employmentId);
      const before = { ...employment };
      if (input.post !== undefined) employment.post = input.post;
      if (input.startDate !== undefined) employment.startDate = input.startDate;
      if (input.endDate !== undefined) employment.endDate = input.endDate;
      if (input.note !== undefined) employment.note = input.note;
      mustFollowBirth('startDate', employment.startDate, person);
      if (employment.endDate !== null && employment.endDate < employment.startDate) {
        throw ValidationFailed.field(input.endDate !== undefined ? 'endDate' : 'startDate', 'END_BEFORE_START', 'endDate must not be before startDate');
      }
      if (employment.endDate === null && (await manager.countBy(Employment, { personId, endDate: IsNull(), id: Not(employment.id) }))) {
        throw ValidationFailed.field('endDate', 'ANOTHER_CURRENT_EMPLOYMENT', 'The person already has a current employment');
      }
      await manager.save(employment);
      await this.audit.record(access.userId, 'update', 'employment', employment.id, employment.districtId, before, { ...employment }, manager);
      await this.followCurrentEmployment(manager, access, person);
      return employment;
    });
  }

  async addTitle(access: AccessContext, personId: string, input: AddTitleDto): Promise<TitleRecord> {
    return this.db.transaction(async (manager) => {
      const { person } = await this.people.lockForWrite(manager, access, personId);
      return this.writeTitle(manager, person, input, access.userId);
    });
  }

  /**
   * A title granted by a decision made elsewhere (an approved title application): the same checks and
   * audit as a title entered on the record, in the caller's transaction, under the person's row lock.
   */
  async grantTitle(manager: EntityManager, personId: string, input: Pick<AddTitleDto, 'title' | 'effectiveDate' | 'approvingBody'>,
    actorUserId: string, auditNote: Record<string, unknown> = {}): Promise<TitleRecord> {
    const person = await manager.findOneOrFail(PersonEntity, { where: { id: personId }, lock: { mode: 'pessimistic_write' } });
    return this.writeTitle(manager, person, input, actorUserId, auditNote);
  }

  private async writeTitle(manager: EntityManager, person: Person, input: Pick<AddTitleDto, 'title' | 'effectiveDate' | 'approvingBody' | 'isCorrection' | 'correctionReason'>,
    actorUserId: string, auditNote: Record<string, unknown> = {}): Promise<TitleRecord> {
    const current = await manager.findOne(TitleRecord, { where: { personId: person.id }, order: { effectiveDate: 'DESC', createdAt: 'DESC', id: 'DESC' } });
    const problems = titleEntryProblems(current, input, person.birthDate);
    if (problems.length) throw new ValidationFailed(problems);
    const record = await manager.save(manager.create(TitleRecord, {
      personId: person.id, title: input.title, effectiveDate: input.effectiveDate, approvingBody: input.approvingBody,
      isCorrection: input.isCorrection ?? false, correctionReason: input.isCorrection ? input.correctionReason!.trim() : null,
      recordedBy: actorUserId,
    }));
    await this.audit.record(actorUserId, 'create', 'title_record', record.id, person.districtId, null, { ...record, ...auditNote }, manager);
    return record;
  }

  async addCertificate(access: AccessContext, personId: string, input: AddCertificateDto): Promise<PersonCertificate> {
    return this.db.transaction(async (manager) => {
      const { person } = await this.people.lockForWrite(manager, access, personId);
      mustFollowBirth('issuedOn', input.issuedOn, person);
      if (input.expiresOn && input.expiresOn <= input.issuedOn) {
        throw ValidationFailed.field('expiresOn', 'EXPIRES_BEFORE_ISSUE', 'expiresOn must be after issuedOn');
      }
      if (await manager.existsBy(PersonCertificate, { kind: input.kind, number: input.number })) throw new CertificateExists();
      const certificate = await manager.save(manager.create(PersonCertificate, {
        personId, kind: input.kind, number: input.number, issuer: input.issuer ?? null, issuedOn: input.issuedOn, expiresOn: input.expiresOn ?? null,
      }));
      await this.audit.record(access.userId, 'create', 'person_certificate', certificate.id, person.districtId, null, { ...certificate }, manager);
      return certificate;
    });
  }

  async addHonour(access: AccessContext, personId: string, input: AddHonourDto): Promise<PersonHonour> {
    return this.db.transaction(async (manager) => {
      const { person } = await this.people.lockForWrite(manager, access, personId);
      if (input.honour === 'other' && !input.name) throw ValidationFailed.field('name', 'HONOUR_NAME_REQUIRED', 'An "other" honour needs its name');
      mustFollowBirth('awardedOn', input.awardedOn, person);
      if (input.expiresOn && input.expiresOn <= input.awardedOn) {
        throw ValidationFailed.field('expiresOn', 'EXPIRES_BEFORE_AWARD', 'expiresOn must be after awardedOn');
      }
      const repeated = await manager.findOneBy(PersonHonour, { personId, honour: input.honour, name: input.name ?? IsNull(), awardedOn: input.awardedOn });
      if (repeated) return repeated;
      const honour = await manager.save(manager.create(PersonHonour, {
        personId, honour: input.honour, name: input.name ?? null, awardedOn: input.awardedOn,
        awardedBy: input.awardedBy ?? null, expiresOn: input.expiresOn ?? null,
      }));
      await this.audit.record(access.userId, 'create', 'person_honour', honour.id, person.districtId, null, { ...honour }, manager);
      return honour;
    });
  }

  /**
   * An honour awarded by a decision made elsewhere (a program completed, a contest award), in the
   * caller's transaction under the person's row lock; the same honour, name and date is recorded once.
   */
  async grantHonour(manager: EntityManager, personId: string, input: Pick<AddHonourDto, 'honour' | 'name' | 'awardedOn' | 'awardedBy'>,
    actorUserId: string, auditNote: Record<string, unknown> = {}): Promise<PersonHonour> {
    const person = await manager.findOneOrFail(PersonEntity, { where: { id: personId }, lock: { mode: 'pessimistic_write' } });
    const repeated = await manager.findOneBy(PersonHonour, { personId, honour: input.honour, name: input.name ?? IsNull(), awardedOn: input.awardedOn });
    if (repeated) return repeated;
    const honour = await manager.save(manager.create(PersonHonour, {
      personId, honour: input.honour, name: input.name ?? null, awardedOn: input.awardedOn, awardedBy: input.awardedBy ?? null, expiresOn: null,
    }));
    await this.audit.record(actorUserId, 'create', 'person_honour', honour.id, person.districtId, null, { ...honour, ...auditNote }, manager);
    return honour;
  }

  /** Records a development stage; the person's current stage follows unless the entry is older than the latest. */
  async addStage(access: AccessContext, personId: string, input: AddStageDto): Promise<StageRecord> {
    return this.db.transaction(async (manager) => {
      const { person } = await this.people.lockForWrite(manager, access, personId);
      const definition = await manager.findOneBy(StageDefinition, { kind: input.kind, code: input.stage });
      if (!definition?.active) throw ValidationFailed.field('stage', 'UNKNOWN_STAGE', `stage is not an active ${input.kind} stage`);
      mustFollowBirth('effectiveDate', input.effectiveDate, person);
      const repeated = await manager.findOneBy(StageRecord, { personId, kind: input.kind, stage: input.stage, effectiveDate: input.effectiveDate });
      if (repeated) return repeated;
      const latest = await manager.findOne(StageRecord, { where: { personId, kind: input.kind }, order: { effectiveDate: 'DESC', createdAt: 'DESC' } });
      const record = await manager.save(manager.create(StageRecord, {
        personId, kind: input.kind, stage: input.stage, effectiveDate: input.effectiveDate, recordedBy: access.userId,
      }));
      await this.audit.record(access.userId, 'create', 'stage_record', record.id, person.districtId, null, { ...record }, manager);
      if (!latest || input.effectiveDate >= latest.effectiveDate) {
        const before = personAuditView(person);
        if (input.kind === 'teacher') person.teacherStage = input.stage;
        else person.principalStage = input.stage;
        await manager.save(person);
        await this.audit.record(access.userId, 'update', 'person', person.id, person.districtId, before, personAuditView(person), manager);
      }
      return record;
    });
  }

  /** Keeps person.current_org_unit_id / current_post (and the district) in step with the open employment. */
  private async followCurrentEmployment(manager: EntityManager, access: AccessContext, person: Person): Promise<void> {
    const open = await manager.findOne(Employment, { where: { personId: person.id, endDate: IsNull() }, order: { startDate: 'DESC' } });
    const next = { currentOrgUnitId: open?.orgUnitId ?? null, currentPost: open?.post ?? null, districtId: open?.districtId ?? person.districtId };
    if (next.currentOrgUnitId === person.currentOrgUnitId && next.currentPost === person.currentPost && next.districtId === person.districtId) return;
    const before = personAuditView(person);
    Object.assign(person, next);
    await manager.save(person);
    await this.audit.record(access.userId, 'update', 'person', person.id, person.districtId, before, personAuditView(person), manager);
  }
}
