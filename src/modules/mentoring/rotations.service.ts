import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, DomainError, Forbidden, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { Rotation } from './mentoring.entities.js';
import type { CreateRotationDto, EndRotationDto, RotationListQuery } from './rotation.dto.js';
import { RotationsQuery, type HeadcountRow, type RotationAssignment, type RotationView } from './rotations.query.js';

export interface RotationAnswer {
  rotation: RotationView;
  /** False when the same rotation or the same early end was recorded already. */
  changed: boolean;
}

const overlaps = (other: RotationView) =>
  new Conflict('ROTATION_OVERLAPS', `The person already rotates to ${other.hostName} from ${other.startsOn} to ${other.lastDay}`, { id: other.id, startsOn: other.startsOn, lastDay: other.lastDay });

/** 柔性流动: a teacher serving another kindergarten for a period, and where reports count them meanwhile. */
@Injectable()
export class RotationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: RotationsQuery,
    private readonly audit: AuditService,
  ) {}

  /** District staff record a rotation of a person in their scope; the person's home is their current kindergarten. */
  async create(access: AccessContext, input: CreateRotationDto): Promise<RotationAnswer> {
    const person = await this.query.person(input.personId);
    if (!person) throw ValidationFailed.field('personId', 'PERSON_NOT_FOUND', 'No such person');
    if (!person.home) throw new DomainError('PERSON_WITHOUT_KINDERGARTEN', 422, 'The person works in no kindergarten to rotate from');
    if (!access.canAt('rotation.manage', person.home.path)) throw new NotFound('person', input.personId);
    const host = await this.query.unit(input.hostKindergartenId);
    const problems: FieldProblem[] = [];
    if (!host || host.kind !== 'kindergarten') problems.push({ field: 'hostKindergartenId', code: 'NOT_A_KINDERGARTEN', message: 'hostKindergartenId must be a kindergarten' });
    else if (host.id === person.home.id) problems.push({ field: 'hostKindergartenId', code: 'HOST_IS_HOME', message: 'the host must be another kindergarten than the person\'s own' });
    if (input.endsOn <= input.startsOn) problems.push({ field: 'endsOn', code: 'END_NOT_AFTER_START', message: 'endsOn must be after startsOn' });
    if (problems.length) throw new ValidationFailed(problems);

    const countAt = input.countAt ?? 'both';
    const outcome = await this.db.transaction(async (manager) => {
      // One person's rotations are checked and written one at a time, so two overlapping ones never both get in.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rotation:${person.id}`]);
      const clashing = await this.query.overlapping(manager, person.id, input.startsOn, input.endsOn);
      const same = clashing.find((r) => r.hostKindergartenId === host!.id && r.startsOn === input.startsOn && r.endsOn === input.endsOn
        && r.kind === input.kind && r.countAt === countAt && !r.endedEarlyOn);
      if (same) return { id: same.id, changed: false };
      if (clashing.length) throw overlaps(clashing[0]);
      const rotations = manager.getRepository(Rotation);
      const saved = await rotations.save(rotations.create({
        personId: person.id, districtId: person.districtId, homeKindergartenId: person.home!.id, hostKindergartenId: host!.id, kind: input.kind,
        startsOn: input.startsOn, endsOn: input.endsOn, countAt, note: input.note ?? null, createdBy: access.userId,
      }));
      await this.audit.record(access.userId, 'create', 'rotation', saved.id, person.districtId, null, { ...saved }, manager);
      return { id: saved.id, changed: true };
    });
    return { rotation: (await this.query.view(outcome.id))!, changed: outcome.changed };
  }

  /** Ends a rotation before its planned end (the last day served); the same day again changes nothing. */
  async endEarly(access: AccessContext, id: string, input: EndRotationDto): Promise<RotationAnswer> {
    const place = await this.query.place(id);
    if (!place || !access.canAt('rotation.manage', place.homePath)) throw new NotFound('rotation', id);
    const outcome = await this.db.transaction(async (manager) => {
      const rotations = manager.getRepository(Rotation);
      const rotation = (await rotations.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      if (rotation.endedEarlyOn === input.endedEarlyOn && (input.note === undefined || input.note === rotation.note)) return false;
      if (input.endedEarlyOn < rotation.startsOn || input.endedEarlyOn >= rotation.endsOn) {
        throw ValidationFailed.field('endedEarlyOn', 'OUTSIDE_ROTATION', `endedEarlyOn must be from ${rotation.startsOn} and before ${rotation.endsOn}`);
      }
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rotation:${rotation.personId}`]);
      const clashing = await this.query.overlapping(manager, rotation.personId, rotation.startsOn, input.endedEarlyOn, id);
      if (clashing.length) throw overlaps(clashing[0]);
      await rotations.update({ id }, { endedEarlyOn: input.endedEarlyOn, note: input.note ?? rotation.note });
      await this.audit.record(access.userId, 'end_early', 'rotation', id, rotation.districtId, { endedEarlyOn: rotation.endedEarlyOn }, { endedEarlyOn: input.endedEarlyOn }, manager);
      return true;
    });
    return { rotation: (await this.query.view(id))!, changed: outcome };
  }

  /** District staff see rotations in their district; kindergarten admins those from or to their kindergarten. */
  async list(access: AccessContext, filter: RotationListQuery) {
    const paths = [...access.scopePaths('rotation.manage'), ...access.scopePaths('mentoring.manage')];
    if (!paths.length) throw new Forbidden();
    return { ...(await this.query.list(paths, filter)), page: filter.page, pageSize: filter.pageSize };
  }

  /** Who serves where on a day (optionally only rotations from or to the given kindergartens); for other modules' planning. */
  activeAt(date: string, kindergartenIds?: string[]): Promise<RotationAssignment[]> {
    return this.query.activeAt(date, kindergartenIds);
  }

  /** Per kindergarten in the caller's scope, the people counted there on a day. */
  headcount(access: AccessContext, on: string): Promise<HeadcountRow[]> {
    return this.query.headcount(on, access.scopePaths('rotation.manage'));
  }
}
