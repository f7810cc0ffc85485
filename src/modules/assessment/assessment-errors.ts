import { Conflict, DomainError } from '../../common/errors.js';

export const itemVersionConflict = (current: number) =>
  new Conflict('ITEM_VERSION_CONFLICT', 'The item was changed by someone else; reload it and make your change again', { version: current });
export const itemGraded = (fields: string[]) =>
  new DomainError('ITEM_GRADED', 409, `Grades exist for this item, so its grading settings (${fields.join(', ')}) can no longer change`, { fields },
    { fields: fields.join(', ') });
export const surveyHasResponses = () =>
  new Conflict('SURVEY_HAS_RESPONSES', 'Learners have answered this survey, so its questions can no longer change');
export const itemArchived = () => new DomainError('ITEM_ARCHIVED', 409, 'The item is archived');
export const itemNotSubmittable = (kind: string) =>
  new DomainError('ITEM_NOT_SUBMITTABLE', 422, kind === 'survey' ? 'A survey is answered, not submitted to' : 'This item takes no submissions', { kind });
export const submissionLateRefused = (dueAt: Date) =>
  new DomainError('SUBMISSION_LATE_REFUSED', 422, `The due date (${dueAt.toISOString()}) has passed and late work is not accepted`,
    { dueAt: dueAt.toISOString() });
export const submissionAlreadyGraded = () =>
  new DomainError('SUBMISSION_ALREADY_GRADED', 422, 'Your work on this item has been graded; it cannot be submitted again');
export const surveyAlreadySubmitted = () =>
  new Conflict('SURVEY_ALREADY_SUBMITTED', 'You have already answered this survey; answers cannot be changed');
export const notASurvey = () => new DomainError('ITEM_NOT_SURVEY', 422, 'Only a survey has results');
