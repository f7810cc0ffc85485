import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { FieldCipher } from '../../common/field-cipher.js';
import { maskNationalId, maskPhone, normaliseNationalId, parseNationalId } from '../../common/national-id.js';
import type { PageResult } from '../../common/pagination.js';
import { AuditService } from '../audit/audit.service.js';
import { Person, type EducationLevel, type Gender, type Post } from './person.entity.js';
import { Employment, type Title } from './person-records.entity.js';
import type { CreatePersonDto, PeopleListQueryDto, UpdatePersonDto } from './people.dto.js';
import { PeopleQuery, type PersonHistories, type PersonListItem } from './people.query.js';
import { OrgScopeService, type OrgUnitRef } from '../org/org-scope.service.js';
import { isUniqueViolation, PersonExists, PersonNotFound, SensitiveChangeForbidden, StaleRecord } from './people-errors.js';
import { districtLevelPaths, personInScope, revealsSensitive, searchTerms } from './people-rules.js';
import { EmploymentHooks } from './employment-hooks.js';

/** Where a person sits in the org tree, for scope checks: their current kindergarten and their district. */
export interface PersonPlace {
  kindergartenPath: string | null;
  kindergartenName: string | null;
  districtPath: string | null;
}

export interface PersonRecord extends PersonHistories {
  id: string;
  districtId: string;
  fullName: string;
  gender: Gender;
  birthDate: string;
  /** Masked unless `sensitiveRevealed`. */
  nationalId: string;
  phone: string | null;
  sensitiveRevealed: boolean;
  educationLevel: EducationLevel;
  preschoolMajor: boolean;
  hireDate: string | null;
  teacherStage: string | null;
  principalStage: string | null;
  currentOrgUnit: { id: string; name: string } | null;
  currentPost: Post | null;
  currentTitle: Title | null;
  version: number;
  /** Whether the caller may change this record (people.write over the person). */
  viewerCanEdit: boolean;
}

/** What the audit log keeps of a person: never the ciphertexts or lookup hashes. */
export function personAuditView(person: Person): Record<string, unknown> {
  const { nationalIdEnc: _e, nationalIdHash: _h, phoneEnc: _pe, phoneHash: _ph, createdAt: _c, updatedAt: _u, ...rest } = person;
  return { ...rest };
}

/** Staff records: search, the full record (with sensitive fields for district HR), creation and basic-data changes. */
@Injectable()
export class PeopleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly query: PeopleQuery,
    private readonly org: OrgScopeService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly employmentHooks: EmploymentHooks,
  ) {}

  async search(access: AccessContext, filter: PeopleListQueryDto): Promise<PageResult<PersonListItem>> {
    const scopePaths = access.scopePaths('people.read');
    const terms = searchTerms(filter.q);
    const { items, total } = await this.query.list({
      scopePaths,
      districtPaths: districtLevelPaths(scopePaths),
      name: terms?.name,
      nationalIdHash: terms?.nationalId ? this.cipher.lookupHash(terms.nationalId) : null,
      phoneHash: terms?.phone ? this.cipher.lookupHash(terms.phone) : null,
      orgUnitId: filter.orgUnitId, post: filter.post, title: filter.title, stage: filter.stage,
      page: filter.page, pageSize: filter.pageSize,
    });
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /**
   * The full record of a person in the caller's people.read scope (otherwise 404). Holders of
   * people.sensitive see national ID and phone in full, and each such read is audited.
   */
  async record(access: AccessContext, id: string, options: { reveal: boolean } = { reveal: true }): Promise<PersonRecord> {
    const person = await this.people.findOneBy({ id });
    if (!person) throw new PersonNotFound(id);
    const place = await this.placeOf(person);
    if (!personInScope(access.scopePaths('people.read'), place.kindergartenPath, place.districtPath)) throw new PersonNotFound(id);
    const reveal = options.reveal && revealsSensitive('record', access.scopePaths('people.sensitive'), place.kindergartenPath, place.districtPath);
    if (reveal) {
      await this.audit.record(access.userId, 'read_sensitive', 'person', person.id, person.districtId, null, { fields: ['nationalId', 'phone'] });
    }
    return this.assemble(person, place, reveal, this.writable(access, place));
  }

  /** The caller's own record (我的档案), always masked. */
  async ownRecord(access: AccessContext): Promise<PersonRecord> {
    const person = access.personId ? await this.people.findOneBy({ id: access.personId }) : null;
    if (!person) throw new PersonNotFound();
    const place = await this.placeOf(person);
    return this.assemble(person, place, revealsSensitive('self', [], null, null), this.writable(access, place));
  }

  async create(access: AccessContext, input: CreatePersonDto): Promise<PersonRecord> {
    const nationalId = normaliseNationalId(input.nationalId);
    const parts = parseNationalId(nationalId);
    if (!parts) throw ValidationFailed.field('nationalId', 'isNationalId', 'nationalId is not a valid national ID');
    const problems: FieldProblem[] = [];
    if (input.birthDate && input.birthDate !== parts.birthDate) {
      problems.push({ field: 'birthDate', code: 'BIRTH_DATE_MISMATCH', message: 'birthDate does not agree with the national ID' });
    }
    if (input.gender && input.gender !== parts.gender) {
      problems.push({ field: 'gender', code: 'GENDER_MISMATCH', message: 'gender does not agree with the national ID' });
    }
    if (input.hireDate && input.hireDate <= parts.birthDate) {
      problems.push({ field: 'hireDate', code: 'HIRE_BEFORE_BIRTH', message: 'hireDate must be after birthDate' });
    }
    if (input.employment.startDate <= parts.birthDate) {
      problems.push({ field: 'employment.startDate', code: 'START_BEFORE_BIRTH', message: 'employment.startDate must be after birthDate' });
    }
    if (problems.length) throw new ValidationFailed(problems);
    const hash = this.cipher.lookupHash(nationalId);
    let id: string;
    try {
      id = await this.db.transaction(async (manager) => {
        const kindergarten = await this.kindergartenForWrite(manager, access, input.employment.orgUnitId, 'employment.orgUnitId');
        await this.assertNationalIdFree(manager, access, hash, null);
        const person = manager.create(Person, {
          districtId: kindergarten.districtId!, fullName: input.fullName, gender: parts.gender, birthDate: parts.birthDate,
          nationalIdEnc: this.cipher.encrypt(nationalId), nationalIdHash: hash, nationalIdMasked: maskNationalId(nationalId),
          phoneEnc: null, phoneHash: null, phoneMasked: null,
          educationLevel: input.educationLevel, preschoolMajor: input.preschoolMajor ?? false, hireDate: input.hireDate ?? null,
          teacherStage: null, principalStage: null, currentOrgUnitId: kindergarten.id, currentPost: input.employment.post,
        });
        this.setPhone(person, input.phone ?? null);
        await manager.save(person);
        // After the person row exists (checks recorded for the candidate are linked to it), before the employment is written.
        await this.employmentHooks.beforeNewEmployment(manager, {
          personId: person.id, districtId: kindergarten.districtId!, orgUnitId: kindergarten.id, startDate: input.employment.startDate,
          hire: true, newPerson: { nationalIdHash: hash },
        });
        const employment = await manager.save(manager.create(Employment, {
          personId: person.id, orgUnitId: kindergarten.id, districtId: kindergarten.districtId!, post: input.employment.post,
          startDate: input.employment.startDate, endDate: null, note: input.employment.note ?? null,
        }));
        await this.audit.record(access.userId, 'create', 'person', person.id, person.districtId, null, personAuditView(person), manager);
        await this.audit.record(access.userId, 'create', 'employment', employment.id, employment.districtId, null, { ...employment }, manager);
        return person.id;
      });
    } catch (error) {
      // Two identical requests at once: the unique index lets one through; the other answers like a repeat.
      if (isUniqueViolation(error, 'person_national_id_hash_key')) await this.assertNationalIdFree(this.db.manager, access, hash, null);
      throw error;
    }
    return this.record(access, id, { reveal: false });
  }

  async update(access: AccessContext, id: string, input: UpdatePersonDto): Promise<PersonRecord> {
    await this.db.transaction(async (manager) => {
      const { person, place } = await this.lockForWrite(manager, access, id);
      if (input.version !== undefined && input.version !== person.version) throw new StaleRecord(person.version);
      const before = personAuditView(person);
      if (input.nationalId !== undefined) await this.changeNationalId(manager, access, person, place, input.nationalId);
      if (input.fullName !== undefined) person.fullName = input.fullName;
      if (input.phone !== undefined) this.setPhone(person, input.phone);
      if (input.educationLevel !== undefined) person.educationLevel = input.educationLevel;
      if (input.preschoolMajor !== undefined) person.preschoolMajor = input.preschoolMajor;
      if (input.hireDate !== undefined) person.hireDate = input.hireDate;
      if (person.hireDate && person.hireDate <= person.birthDate) {
        throw ValidationFailed.field('hireDate', 'HIRE_BEFORE_BIRTH', 'hireDate must be after birthDate');
      }
      const after = personAuditView(person);
      if (JSON.stringify(after) === JSON.stringify(before)) return;
      await manager.save(person);
      await this.audit.record(access.userId, 'update', 'person', person.id, person.districtId, before, after, manager);
    });
    return this.record(access, id, { reveal: false });
  }

  /** Locks the person's row for the rest of the transaction; outside the caller's people.write scope it does not exist. */
  async lockForWrite(manager: EntityManager, access: AccessContext, id: string): Promise<{ person: Person; place: PersonPlace }> {
    const person = await manager.findOne(Person, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!person) throw new PersonNotFound(id);
    const place = await this.placeOf(person, manager);
    if (!this.writable(access, place)) throw new PersonNotFound(id);
    return { person, place };
  }

  /** A kindergarten the caller may staff (people.write over it, not closed); anything else is an unknown value of `field`. */
  async kindergartenForWrite(manager: EntityManager, access: AccessContext, orgUnitId: string, field: string): Promise<OrgUnitRef> {
    const unit = await this.org.unit(orgUnitId, manager);
    if (!unit || unit.kind !== 'kindergarten' || unit.status === 'closed' || !unit.districtId || !access.canAt('people.write', unit.path)) {
      throw ValidationFailed.field(field, 'UNKNOWN_KINDERGARTEN', `${field} is not an open kindergarten in your scope`);
    }
    return unit;
  }

  async placeOf(person: Person, manager?: EntityManager): Promise<PersonPlace> {
    const units = await this.org.units([person.currentOrgUnitId, person.districtId], manager);
    const kindergarten = person.currentOrgUnitId ? units.get(person.currentOrgUnitId) : undefined;
    return { kindergartenPath: kindergarten?.path ?? null, kindergartenName: kindergarten?.name ?? null, districtPath: units.get(person.districtId)?.path ?? null };
  }

  private writable(access: AccessContext, place: PersonPlace): boolean {
    return personInScope(access.scopePaths('people.write'), place.kindergartenPath, place.districtPath);
  }

  private async assertNationalIdFree(manager: EntityManager, access: AccessContext, hash: string, self: string | null): Promise<void> {
    const existing = await manager.findOne(Person, { where: { nationalIdHash: hash } });
    if (!existing || existing.id === self) return;
    const place = await this.placeOf(existing, manager);
    throw new PersonExists(personInScope(access.scopePaths('people.read'), place.kindergartenPath, place.districtPath) ? existing.id : null);
  }

  /** Corrects a mistyped national ID; birth date and gender follow it. */
  private async changeNationalId(manager: EntityManager, access: AccessContext, person: Person, place: PersonPlace, raw: string): Promise<void> {
    if (!personInScope(access.scopePaths('people.sensitive'), place.kindergartenPath, place.districtPath)) throw new SensitiveChangeForbidden();
    const nationalId = normaliseNationalId(raw);
    const parts = parseNationalId(nationalId);
    if (!parts) throw ValidationFailed.field('nationalId', 'isNationalId', 'nationalId is not a valid national ID');
    const hash = this.cipher.lookupHash(nationalId);
    if (hash === person.nationalIdHash) return;
    await this.assertNationalIdFree(manager, access, hash, person.id);
    Object.assign(person, {
      nationalIdEnc: this.cipher.encrypt(nationalId), nationalIdHash: hash, nationalIdMasked: maskNationalId(nationalId),
      birthDate: parts.birthDate, gender: parts.gender,
    });
  }

  private setPhone(person: Person, phone: string | null): void {
    person.phoneEnc = phone ? this.cipher.encrypt(phone) : null;
    person.phoneHash = phone ? this.cipher.lookupHash(phone) : null;
    person.phoneMasked = phone ? maskPhone(phone) : null;
  }

  private async assemble(person: Person, place: PersonPlace, reveal: boolean, viewerCanEdit: boolean): Promise<PersonRecord> {
    const histories = await this.query.histories(person.id);
    return {
      id: person.id, districtId: person.districtId, fullName: person.fullName, gender: person.gender, birthDate: person.birthDate,
      nationalId: reveal ? this.cipher.decrypt(person.nationalIdEnc) : person.nationalIdMasked,
      phone: reveal && person.phoneEnc ? this.cipher.decrypt(person.phoneEnc) : person.phoneMasked,
      sensitiveRevealed: reveal,
      educationLevel: person.educationLevel, preschoolMajor: person.preschoolMajor, hireDate: person.hireDate,
      teacherStage: person.teacherStage, principalStage: person.principalStage,
      currentOrgUnit: person.currentOrgUnitId ? { id: person.currentOrgUnitId, name: place.kindergartenName ?? '' } : null,
      currentPost: person.currentPost,
      currentTitle: histories.titles[0]?.title ?? null,
      version: person.version,
      viewerCanEdit,
      ...histories,
    };
  }
}
