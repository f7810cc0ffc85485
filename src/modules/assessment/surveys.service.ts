import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { itemNotSubmittable, notASurvey, submissionLateRefused, surveyAlreadySubmitted } from './assessment-errors.js';
import { ItemsQuery } from './items.query.js';
import { ItemsService } from './items.service.js';
import { lateness } from './submission-rules.js';
import { SubmissionsService, type Handed } from './submissions.service.js';
import { aggregate, sameAnswers, validateAnswers, type SurveyResults } from './survey-rules.js';

/** Course evaluation surveys: one response per learner, results only in aggregate (never who said what). */
@Injectable()
export class SurveysService {
  constructor(
    private readonly items: ItemsService,
    private readonly query: ItemsQuery,
    private readonly submissions: SubmissionsService,
  ) {}

  /** The same answers again answer the stored response; different ones are refused (a response is final). */
  async respond(access: AccessContext, itemId: string, body: Record<string, unknown>): Promise<Handed> {
    const { item, enrollment } = await this.items.forLearner(access, itemId);
    if (item.kind !== 'survey') throw itemNotSubmittable(item.kind);
    const now = new Date();
    if (lateness(item, now).refused) throw submissionLateRefused(item.dueAt!);
    const stray = Object.keys(body ?? {}).filter((key) => key !== 'answers');
    const { answers, problems } = validateAnswers(item.questions, body?.answers);
    problems.unshift(...stray.map((key) => ({ field: key, code: 'unknown_field', message: `${key} is not an allowed field` })));
    if (problems.length) throw new ValidationFailed(problems);
    return this.submissions.record(access, item, enrollment, now, { body: null, answers, files: [] },
      (latest) => sameAnswers(latest.answers, answers),
      (latest) => {
        if (latest) throw surveyAlreadySubmitted();
      });
  }

  async results(access: AccessContext, itemId: string): Promise<SurveyResults & { item: { id: string; title: string; offeringId: string }; courseTitle: string }> {
    const { item, context } = await this.items.forTeaching(access, itemId);
    if (item.kind !== 'survey') throw notASurvey();
    const [responses, learners] = await Promise.all([this.query.surveyAnswers(item.id), this.query.learnerCount(item.offeringId)]);
    return { item: { id: item.id, title: item.title, offeringId: item.offeringId }, courseTitle: context.course.title, ...aggregate(item.questions, responses, learners) };
  }
}
