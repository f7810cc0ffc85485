import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import type { OfferingContext } from '../catalog/offering-directory.service.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { FileStorageService } from '../files/file-storage.service.js';
import { SNIFFED_TYPES } from '../files/file-types.js';
import { itemArchived, itemGraded, itemVersionConflict, surveyHasResponses } from './assessment-errors.js';
import { AssessmentItem } from './assessment.entities.js';
import { changedGradingFields, passPointsProblem, questionsChanged, settingsInput, validateItem, type ItemLimits, type ItemSettings } from './item-rules.js';
import { ItemsQuery, type LearnerEnrollment } from './items.query.js';

/** An item as trainers see it, with the offering it belongs to. */
export interface TeachingItem {
  item: AssessmentItem;
  context: OfferingContext;
}

/** A trainer's assessment items: create, list, change (optimistic version) and archive. */
@Injectable()
export class ItemsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ItemsQuery,
    private readonly teaching: TeachingAccess,
    private readonly files: FileStorageService,
    private readonly audit: AuditService,
  ) {}

  get limits(): ItemLimits {
    return { fileTypes: Object.keys(SNIFFED_TYPES), uploadMaxBytes: this.files.maxBytes };
  }

  async list(access: AccessContext, offeringId: string): Promise<AssessmentItem[]> {
    return (await this.listing(access, offeringId)).items;
  }

  /** The offering's items (archived ones too) with the offering, for a trainer of it. */
  async listing(access: AccessContext, offeringId: string): Promise<{ context: OfferingContext; items: AssessmentItem[] }> {
    const context = await this.teaching.offering(access, offeringId);
    return { context, items: await this.db.manager.find(AssessmentItem, { where: { offeringId }, order: { position: 'ASC', createdAt: 'ASC' } }) };
  }

  /** The item for a trainer of its offering; anyone else: not found. */
  async forTeaching(access: AccessContext, itemId: string): Promise<TeachingItem> {
    const item = await this.db.manager.findOneBy(AssessmentItem, { id: itemId });
    if (!item) throw new NotFound('assessment_item', itemId);
    try {
      return { item, context: await this.teaching.offering(access, item.offeringId) };
    } catch (error) {
      if (error instanceof NotFound) throw new NotFound('assessment_item', itemId);
      throw error;
    }
  }

  /** An item that is not archived, for a learner enrolled (or completed) in its offering; anyone else: not found. */
  async forLearner(access: AccessContext, itemId: string): Promise<{ item: AssessmentItem; enrollment: LearnerEnrollment }> {
    const item = await this.db.manager.findOneBy(AssessmentItem, { id: itemId });
    const enrollment = item && !item.archivedAt ? await this.query.learnerEnrollment(access.personId, item.offeringId) : null;
    if (!item || !enrollment) throw new NotFound('assessment_item', itemId);
    return { item, enrollment };
  }

  async create(access: AccessContext, offeringId: string, input: Record<string, unknown>): Promise<AssessmentItem> {
    const context = await this.teaching.offering(access, offeringId);
    return inTransaction(this.db, async (manager) => {
      const settings = await this.checked(input, context, null, manager);
      const repository = manager.getRepository(AssessmentItem);
      const position = settings.position ?? await this.query.nextPosition(offeringId, manager);
      const item = await repository.save(repository.create({
        ...settings, position, offeringId, districtId: context.offering.districtId, createdBy: access.userId,
      }));
      await this.audit.record(access.userId, 'create', 'assessment_item', item.id, item.districtId, null, auditView(item), manager);
      return item;
    });
  }

  /**
   * Lays the change over the item's settings and checks the whole; `version` must be the one the
   * caller read. Grading settings are frozen once marking has begun, survey questions once answered.
   */
  async update(access: AccessContext, itemId: string, input: Record<string, unknown>): Promise<AssessmentItem> {
    const { context } = await this.forTeaching(access, itemId);
    const { version, ...change } = input;
    if (!Number.isInteger(version)) throw ValidationFailed.field('version', 'REQUIRED', 'version (the one you read) is required');
    return inTransaction(this.db, async (manager) => {
      const item = (await manager.findOne(AssessmentItem, { where: { id: itemId }, lock: { mode: 'pessimistic_write' } }))!;
      if (item.version !== version) throw itemVersionConflict(item.version);
      if (item.archivedAt) throw itemArchived();
      // Judged as the kind it is: a different kind is one problem, not a cascade of them.
      const merged = { ...settingsInput(item), ...change, kind: item.kind };
      const kindChanged: FieldProblem[] = 'kind' in change && change.kind !== item.kind
        ? [{ field: 'kind', code: 'IMMUTABLE', message: 'The kind of an item cannot change' }] : [];
      const settings = await this.checked(merged, context, item, manager, kindChanged);
      const frozen = changedGradingFields(item, settings);
      if (frozen.length && await this.query.hasGrades(itemId, manager)) throw itemGraded(frozen);
      if (item.kind === 'survey' && questionsChanged(item.questions, settings.questions) && await this.query.hasSubmissions(itemId, manager)) {
        throw surveyHasResponses();
      }
      await manager.update(AssessmentItem, { id: itemId }, { ...settings, position: settings.position ?? item.position });
      const saved = (await manager.findOneBy(AssessmentItem, { id: itemId }))!;
      await this.audit.record(access.userId, 'update', 'assessment_item', itemId, item.districtId, auditView(item), auditView(saved), manager);
      return saved;
    });
  }

  /** Archived items leave the learners' lists; archiving twice changes nothing. */
  async archive(access: AccessContext, itemId: string): Promise<AssessmentItem> {
    await this.forTeaching(access, itemId);
    return inTransaction(this.db, async (manager) => {
      const item = (await manager.findOne(AssessmentItem, { where: { id: itemId }, lock: { mode: 'pessimistic_write' } }))!;
      if (item.archivedAt) return item;
      await manager.update(AssessmentItem, { id: itemId }, { archivedAt: new Date() });
      const saved = (await manager.findOneBy(AssessmentItem, { id: itemId }))!;
      await this.audit.record(access.userId, 'archive', 'assessment_item', itemId, item.districtId, { archivedAt: null }, { archivedAt: saved.archivedAt }, manager);
      return saved;
    });
  }

  rubricChoices(context: OfferingContext) {
    return this.query.rubricChoices(context.offering.districtId);
  }

  /** Every problem at once: the fields' own, then the rubric's (of the offering's district, not archived, the right method). */
  private async checked(
    input: Record<string, unknown>, context: OfferingContext, before: AssessmentItem | null, manager: EntityManager, earlier: FieldProblem[] = [],
  ): Promise<ItemSettings> {
    const { settings, problems } = validateItem(input, this.limits);
    problems.unshift(...earlier);
    if (settings.rubricId) {
      const unchanged = before && before.rubricId === settings.rubricId && before.gradingMethod === settings.gradingMethod;
      const rubric = unchanged ? null : await this.query.rubric(settings.rubricId, manager);
      const problem = unchanged ? null : rubricProblem(rubric, settings, context.offering.districtId);
      if (problem) problems.push(problem);
      settings.maxPoints = unchanged ? before.maxPoints : rubric?.maxPoints ?? null;
      const over = problem ? null : passPointsProblem(settings.passPoints, settings.maxPoints);
      if (over && !problems.some((p) => p.field === 'passPoints')) problems.push(over);
    }
    if (problems.length) throw new ValidationFailed(problems);
    return settings;
  }
}

function rubricProblem(rubric: Awaited<ReturnType<ItemsQuery['rubric']>>, settings: ItemSettings, districtId: string): FieldProblem | null {
  if (!rubric || rubric.archived || rubric.districtId !== districtId) {
    return { field: 'rubricId', code: 'RUBRIC_NOT_FOUND', message: 'rubricId must name a rubric of this district that is not archived' };
  }
  if (rubric.method !== settings.gradingMethod) {
    return { field: 'rubricId', code: 'RUBRIC_METHOD_MISMATCH', message: `The rubric is a ${rubric.method}, but gradingMethod is ${settings.gradingMethod}` };
  }
  return null;
}

function auditView(item: AssessmentItem): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = item;
  return rest;
}
