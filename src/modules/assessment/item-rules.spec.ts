import type { AssessmentItem } from './assessment.entities.js';
import { changedGradingFields, questionsChanged, settingsInput, validateItem, type ItemLimits } from './item-rules.js';

const LIMITS: ItemLimits = { fileTypes: ['application/pdf', 'image/jpeg', 'image/png', 'video/mp4'], uploadMaxBytes: 20_000_000 };
const fields = (input: Record<string, unknown>) => validateItem(input, LIMITS).problems.map((p) => p.field).sort();

describe('item settings', () => {
  it('fills the defaults of an assignment that takes files (PDF, JPEG, PNG; five files; late work accepted)', () => {
    const { settings, problems } = validateItem({ kind: 'assignment', title: ' 观察记录 ', submissionModes: ['file'], gradingMethod: 'pass_fail' }, LIMITS);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      title: '观察记录', submissionModes: ['file'], allowedFileTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxFiles: 5,
      latePolicy: 'accept', latePenaltyPercent: null, maxPoints: null, passPoints: null, dueAt: null,
    });
  });

  it('clears what does not apply: file settings of a text-only assignment, the penalty of a policy without one', () => {
    const { settings } = validateItem({
      kind: 'assignment', title: 'x', submissionModes: ['text'], allowedFileTypes: ['image/png'], maxFileBytes: 10, latePolicy: 'refuse',
      latePenaltyPercent: 20, gradingMethod: 'points', maxPoints: 10, dueAt: '2030-01-01T08:00:00+08:00',
    }, LIMITS);
    expect(settings).toMatchObject({ allowedFileTypes: [], maxFileBytes: null, latePenaltyPercent: null, latePolicy: 'refuse', dueAt: new Date('2030-01-01T00:00:00Z') });
  });

  it('lists every bad field of an assignment', () => {
    expect(fields({ kind: 'assignment', title: 'x'.repeat(201), submissionModes: [], gradingMethod: 'none' })).toEqual(['gradingMethod', 'submissionModes', 'title']);
    expect(fields({
      kind: 'assignment', title: 'x', submissionModes: ['file'], allowedFileTypes: ['text/html'], maxFileBytes: 30_000_000, maxFiles: 0,
      latePolicy: 'penalty', latePenaltyPercent: 150, gradingMethod: 'points', maxPoints: 10.555, passPoints: -1, secondMarking: 'yes',
    })).toEqual(['allowedFileTypes', 'latePenaltyPercent', 'maxFileBytes', 'maxFiles', 'maxPoints', 'passPoints', 'secondMarking']);
    expect(fields({ kind: 'assignment', title: 'x', submissionModes: ['text'], gradingMethod: 'points', maxPoints: 10, passPoints: 11 })).toEqual(['passPoints']);
    expect(fields({ kind: 'task', title: 'x' })).toEqual(['kind']);
  });

  it('keeps offline items and surveys to their own fields', () => {
    expect(fields({ kind: 'offline', title: '示范课', submissionModes: ['text'], gradingMethod: 'rubric' })).toEqual(['rubricId', 'submissionModes']);
    expect(fields({ kind: 'offline', title: '示范课', gradingMethod: 'pass_fail', questions: [{ kind: 'text', prompt: 'x' }] })).toEqual(['questions']);
    expect(fields({ kind: 'survey', title: '评价', gradingMethod: 'points', questions: [{ kind: 'rating', prompt: '满意度' }] })).toEqual(['gradingMethod']);
    const { settings } = validateItem({ kind: 'survey', title: '评价', secondMarking: true, questions: [{ kind: 'rating', prompt: '满意度' }] }, LIMITS);
    expect(settings).toMatchObject({ gradingMethod: 'none', secondMarking: false, questions: [{ id: 'q1', kind: 'rating', prompt: '满意度', required: true }] });
  });

  it('round-trips an item through its input shape and finds which grading settings changed', () => {
    const item = {
      kind: 'assignment', title: 'x', instructions: null, position: 2, submissionModes: ['text'], dueAt: new Date('2030-01-01T00:00:00Z'),
      latePolicy: 'penalty', latePenaltyPercent: 10, allowedFileTypes: [], maxFileBytes: null, maxFiles: 5, gradingMethod: 'points',
      rubricId: null, maxPoints: 10, passPoints: 6, secondMarking: false, questions: [],
    } as unknown as AssessmentItem;
    const { settings, problems } = validateItem({ ...settingsInput(item), passPoints: 7, latePenaltyPercent: 20 }, LIMITS);
    expect(problems).toEqual([]);
    expect(changedGradingFields(item, settings)).toEqual(['passPoints', 'latePenaltyPercent']);
    expect(changedGradingFields(item, validateItem({ ...settingsInput(item), title: 'y' }, LIMITS).settings)).toEqual([]);
  });

  it('sees a changed question but not a reordered key', () => {
    const stored = [{ required: true, prompt: 'p', kind: 'rating', id: 'q1' }] as never;
    expect(questionsChanged(stored, [{ id: 'q1', kind: 'rating', prompt: 'p', required: true }])).toBe(false);
    expect(questionsChanged(stored, [{ id: 'q1', kind: 'rating', prompt: 'p2', required: true }])).toBe(true);
  });
});
