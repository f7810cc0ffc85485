import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import type { Material } from '../catalog/catalog.entities.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { notEnrolledInOffering } from './attendance-errors.js';
import { LEARNER_STATUSES } from './attendance-rules.js';
import { ATTENDING, Enrollment, MaterialProgress } from './enrollment.entities.js';
import { TeachingAccess } from './teaching-access.service.js';

export interface ProgressView {
  materialId: string;
  percent: number;
  completedAt: Date | null;
}

const materialView = (m: Material) => ({ id: m.id, kind: m.kind, title: m.title, url: m.url, required: m.required, sortOrder: m.sortOrder });

/** How far each learner has got through an offering's online materials. Progress only moves forward. */
@Injectable()
export class MaterialProgressService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    @InjectRepository(MaterialProgress) private readonly progress: Repository<MaterialProgress>,
    private readonly offerings: OfferingDirectory,
    private readonly teaching: TeachingAccess,
    private readonly people: PeopleDirectory,
  ) {}

  /** The learner reports progress; a lower percent than before changes nothing, 100 completes the material once. */
  async record(access: AccessContext, materialId: string, percent: number): Promise<ProgressView> {
    const material = await this.offerings.material(materialId);
    if (!material) throw new NotFound('material', materialId);
    const enrollment = access.personId ? await this.enrollments.findOneBy({ offeringId: material.offeringId, personId: access.personId }) : null;
    if (!access.personId || !enrollment || !ATTENDING.includes(enrollment.status)) throw notEnrolledInOffering();
    const [row] = await this.db.query(
      `INSERT INTO material_progress AS p (material_id, person_id, district_id, percent, completed_at, updated_at)
       VALUES ($1, $2, $3, $4::int, CASE WHEN $4::int = 100 THEN now() END, now())
       ON CONFLICT (material_id, person_id) DO UPDATE
          SET percent = greatest(p.percent, excluded.percent),
              completed_at = coalesce(p.completed_at, excluded.completed_at),
              updated_at = CASE WHEN excluded.percent > p.percent THEN now() ELSE p.updated_at END
       RETURNING material_id AS "materialId", percent, completed_at AS "completedAt"`,
      [materialId, access.personId, enrollment.districtId, percent]);
    return row;
  }

  /** The trainer's view: every learner's progress on every material. */
  async offeringProgress(access: AccessContext, offeringId: string) {
    await this.teaching.offering(access, offeringId);
    const [materials, learners] = await Promise.all([
      this.offerings.materials(offeringId),
      this.enrollments.find({ where: { offeringId, status: In([...LEARNER_STATUSES]) } }),
    ]);
    const rows = await this.rowsFor(materials, learners.map((l) => l.personId));
    const profiles = new Map((await this.people.learnerProfiles(learners.map((l) => l.personId))).map((p) => [p.personId, p]));
    const required = materials.filter((m) => m.required).map((m) => m.id);
    return {
      offeringId,
      materials: materials.map(materialView),
      learners: learners.map((l) => {
        const mine = rows.get(l.personId) ?? new Map<string, ProgressView>();
        return {
          enrollmentId: l.id, personId: l.personId, enrollmentStatus: l.status,
          fullName: profiles.get(l.personId)?.fullName ?? '', kindergarten: profiles.get(l.personId)?.kindergartenName ?? null,
          requiredCompleted: required.filter((id) => mine.get(id)?.completedAt).length, requiredTotal: required.length,
          progress: materials.map((m) => mine.get(m.id) ?? { materialId: m.id, percent: 0, completedAt: null }),
        };
      }).sort((a, b) => a.fullName.localeCompare(b.fullName, 'zh-CN')),
    };
  }

  /** The learner's own progress in an offering they are (or were) enrolled in. */
  async myProgress(access: AccessContext, offeringId: string) {
    const enrollment = access.personId ? await this.enrollments.findOneBy({ offeringId, personId: access.personId }) : null;
    if (!access.personId || !enrollment || !LEARNER_STATUSES.includes(enrollment.status)) throw new NotFound('offering', offeringId);
    const materials = await this.offerings.materials(offeringId);
    const mine = (await this.rowsFor(materials, [access.personId])).get(access.personId) ?? new Map<string, ProgressView>();
    return {
      offeringId, enrollmentId: enrollment.id,
      materials: materials.map((m) => ({ ...materialView(m), percent: mine.get(m.id)?.percent ?? 0, completedAt: mine.get(m.id)?.completedAt ?? null })),
    };
  }

  private async rowsFor(materials: Material[], personIds: string[]): Promise<Map<string, Map<string, ProgressView>>> {
    const byPerson = new Map<string, Map<string, ProgressView>>();
    if (!materials.length || !personIds.length) return byPerson;
    const rows = await this.progress.find({ where: { materialId: In(materials.map((m) => m.id)), personId: In(personIds) } });
    for (const row of rows) {
      if (!byPerson.has(row.personId)) byPerson.set(row.personId, new Map());
      byPerson.get(row.personId)!.set(row.materialId, { materialId: row.materialId, percent: row.percent, completedAt: row.completedAt });
    }
    return byPerson;
  }
}
