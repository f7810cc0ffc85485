import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { Material, Meeting } from './catalog.entities.js';
import { materialHasProgress, materialNotFound, meetingHasAttendance, meetingNotFound, offeringCancelled } from './catalog-errors.js';
import { defaultMeetingHours } from './catalog-time.js';
import type { CreateMaterialDto, CreateMeetingDto, UpdateMaterialDto, UpdateMeetingDto } from './offering.dto.js';
import { meetingProblems, type MeetingShape } from './offering-rules.js';
import { OfferingService } from './offering.service.js';
import { OfferingDirectory } from './offering-directory.service.js';

export interface MeetingView {
  id: string;
  offeringId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  hours: number;
}

export interface MaterialView {
  id: string;
  offeringId: string;
  kind: Material['kind'];
  title: string;
  url: string | null;
  body: string | null;
  sortOrder: number;
  required: boolean;
}

export const meetingView = (m: Meeting): MeetingView => ({
  id: m.id, offeringId: m.offeringId, title: m.title, startsAt: m.startsAt, endsAt: m.endsAt, place: m.place, onlineUrl: m.onlineUrl, hours: m.hours,
});
export const materialView = (m: Material): MaterialView => ({
  id: m.id, offeringId: m.offeringId, kind: m.kind, title: m.title, url: m.url, body: m.body, sortOrder: m.sortOrder, required: m.required,
});

/**
 * An offering's meetings and online materials. Every change locks the offering row first, so two
 * concurrent additions cannot overlap and a retried request finds what the first one made.
 */
@Injectable()
export class OfferingContentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly offerings: OfferingService,
    private readonly directory: OfferingDirectory,
    private readonly audit: AuditService,
  ) {}

  async addMeeting(access: AccessContext, offeringId: string, input: CreateMeetingDto): Promise<MeetingView> {
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    const shape: MeetingShape = {
      startsAt, endsAt, place: input.place ?? null, onlineUrl: input.onlineUrl ?? null, hours: input.hours ?? defaultMeetingHours(startsAt, endsAt),
    };
    const problems = meetingProblems(shape, input.hours !== undefined && input.hours !== null);
    if (problems.length) throw new ValidationFailed(problems);
    return this.db.transaction(async (manager) => {
      const { offering } = await this.offerings.lockManaged(manager, access, offeringId);
      if (offering.status === 'cancelled') throw offeringCancelled();
      const title = input.title ?? '';
      const same = (await manager.findBy(Meeting, { offeringId, title })).find((m) => m.startsAt.getTime() === startsAt.getTime() && m.endsAt.getTime() === endsAt.getTime() && m.hours === shape.hours
          && m.place === shape.place && m.onlineUrl === shape.onlineUrl);
      if (same) return meetingView(same);
      await this.assertNoOverlap(manager, offeringId, shape, null);
      const meeting = await manager.save(manager.create(Meeting, { ...shape, offeringId, districtId: offering.districtId, title, remindedAt: null }));
      await this.audit.record(access.userId, 'create', 'meeting', meeting.id, offering.districtId, null, meetingView(meeting), manager);
      return meetingView(meeting);
    });
  }

  async updateMeeting(access: AccessContext, meetingId: string, input: UpdateMeetingDto): Promise<MeetingView> {
    const offeringId = (await this.db.manager.findOneBy(Meeting, { id: meetingId }))?.offeringId;
    if (!offeringId) throw meetingNotFound(meetingId);
    return this.db.transaction(async (manager) => {
      const { offering } = await this.lockForContent(manager, access, offeringId, meetingNotFound(meetingId));
      const meeting = await manager.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw meetingNotFound(meetingId);
      const before = meetingView(meeting);
      // Hours that followed the old duration follow the new one, unless hours are given.
      const hoursFollowed = meeting.hours === defaultMeetingHours(meeting.startsAt, meeting.endsAt);
      if (input.title !== undefined) meeting.title = input.title;
      if (input.startsAt !== undefined) meeting.startsAt = new Date(input.startsAt);
      if (input.endsAt !== undefined) meeting.endsAt = new Date(input.endsAt);
      if (input.place !== undefined) meeting.place = input.place;
      if (input.onlineUrl !== undefined) meeting.onlineUrl = input.onlineUrl;
      if (input.hours !== undefined && input.hours !== null) meeting.hours = input.hours;
      else if (input.hours === null || hoursFollowed) meeting.hours = defaultMeetingHours(meeting.startsAt, meeting.endsAt);
      const problems = meetingProblems(meeting, input.hours !== undefined && input.hours !== null);
      if (problems.length) throw new ValidationFailed(problems);
      await this.assertNoOverlap(manager, offeringId, meeting, meeting.id);
      const after = meetingView(meeting);
      if (JSON.stringify(after) === JSON.stringify(before)) return after;
      await manager.save(meeting);
      await this.audit.record(access.userId, 'update', 'meeting', meeting.id, offering.districtId, before, after, manager);
      return after;
    });
  }

  async deleteMeeting(access: AccessContext, meetingId: string): Promise<void> {
    const offeringId = (await this.db.manager.findOneBy(Meeting, { id: meetingId }))?.offeringId;
    if (!offeringId) throw meetingNotFound(meetingId);
    await this.db.transaction(async (manager) => {
      const { offering } = await this.lockForContent(manager, access, offeringId, meetingNotFound(meetingId));
      const meeting = await manager.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw meetingNotFound(meetingId);
      if ((await manager.query(`SELECT 1 FROM attendance WHERE meeting_id = $1 LIMIT 1`, [meetingId])).length) throw meetingHasAttendance();
      await manager.delete(Meeting, { id: meetingId });
      await this.audit.record(access.userId, 'delete', 'meeting', meetingId, offering.districtId, meetingView(meeting), null, manager);
    });
  }

  async addMaterial(access: AccessContext, offeringId: string, input: CreateMaterialDto): Promise<MaterialView> {
    if (!input.url && !input.body) throw ValidationFailed.field('url', 'URL_OR_BODY_REQUIRED', 'Give a url or a body');
    return this.db.transaction(async (manager) => {
      const { offering } = await this.offerings.lockManaged(manager, access, offeringId);
      if (offering.status === 'cancelled') throw offeringCancelled();
      const content = { kind: input.kind, title: input.title, url: input.url ?? null, body: input.body ?? null };
      const same = (await manager.findBy(Material, { offeringId, kind: content.kind, title: content.title }))
        .find((m) => m.url === content.url && m.body === content.body);
      if (same) return materialView(same);
      const [{ next }] = await manager.query(`SELECT coalesce(max(sort_order), 0) + 1 AS next FROM material WHERE offering_id = $1`, [offeringId]);
      const material = await manager.save(manager.create(Material, {
        ...content, offeringId, sortOrder: input.sortOrder ?? Number(next), required: input.required ?? true,
      }));
      await this.audit.record(access.userId, 'create', 'material', material.id, offering.districtId, null, materialView(material), manager);
      return materialView(material);
    });
  }

  async updateMaterial(access: AccessContext, materialId: string, input: UpdateMaterialDto): Promise<MaterialView> {
    const offeringId = (await this.db.manager.findOneBy(Material, { id: materialId }))?.offeringId;
    if (!offeringId) throw materialNotFound(materialId);
    return this.db.transaction(async (manager) => {
      const { offering } = await this.lockForContent(manager, access, offeringId, materialNotFound(materialId));
      const material = await manager.findOneBy(Material, { id: materialId });
      if (!material) throw materialNotFound(materialId);
      const before = materialView(material);
      for (const field of ['kind', 'title', 'url', 'body', 'sortOrder', 'required'] as const) {
        if (input[field] !== undefined) (material as unknown as Record<string, unknown>)[field] = input[field];
      }
      if (material.url === null && material.body === null) throw ValidationFailed.field('url', 'URL_OR_BODY_REQUIRED', 'Give a url or a body');
      const after = materialView(material);
      if (JSON.stringify(after) === JSON.stringify(before)) return after;
      await manager.save(material);
      await this.audit.record(access.userId, 'update', 'material', materialId, offering.districtId, before, after, manager);
      return after;
    });
  }

  async deleteMaterial(access: AccessContext, materialId: string): Promise<void> {
    const offeringId = (await this.db.manager.findOneBy(Material, { id: materialId }))?.offeringId;
    if (!offeringId) throw materialNotFound(materialId);
    await this.db.transaction(async (manager) => {
      const { offering } = await this.lockForContent(manager, access, offeringId, materialNotFound(materialId));
      const material = await manager.findOneBy(Material, { id: materialId });
      if (!material) throw materialNotFound(materialId);
      if ((await manager.query(`SELECT 1 FROM material_progress WHERE material_id = $1 LIMIT 1`, [materialId])).length) throw materialHasProgress();
      await manager.delete(Material, { id: materialId });
      await this.audit.record(access.userId, 'delete', 'material', materialId, offering.districtId, materialView(material), null, manager);
    });
  }

  /** The offering locked for a change to one of its meetings or materials; out of scope, the item itself is not found. */
  private async lockForContent(manager: EntityManager, access: AccessContext, offeringId: string, notFound: Error) {
    const context = await this.directory.lock(manager, offeringId);
    if (!access.canAt('catalog.manage', context.ownerPath)) throw notFound;
    return context;
  }

  /** Another meeting of the offering overlapping this one's time: refused on `startsAt`. */
  private async assertNoOverlap(manager: EntityManager, offeringId: string, meeting: MeetingShape, selfId: string | null): Promise<void> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM meeting WHERE offering_id = $1 AND starts_at < $3 AND ends_at > $2 AND ($4::uuid IS NULL OR id <> $4::uuid) LIMIT 1`,
      [offeringId, meeting.startsAt, meeting.endsAt, selfId]);
    if (rows.length) {
      throw new ValidationFailed([{ field: 'startsAt', code: 'MEETING_OVERLAP', message: 'The meeting overlaps another meeting of this offering' }]);
    }
  }
}
