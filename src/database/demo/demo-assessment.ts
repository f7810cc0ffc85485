import type { DemoCatalog, DemoEnrollment, DemoUser } from './demo-types.js';
import { demoUuid } from './demo-random.js';
import { DEMO_USERNAMES } from './demo-users.js';

export interface DemoRubric {
  id: string;
  districtId: string;
  ownerUserId: string;
  method: 'rubric';
  name: string;
  description: string;
  criteria: unknown[];
  maxPoints: number;
}

export interface DemoAssessmentItem {
  id: string;
  offeringId: string;
  districtId: string;
  kind: 'assignment' | 'survey';
  title: string;
  instructions: string;
  position: number;
  submissionModes: string[];
  dueAt: string | null;
  latePolicy: 'accept' | 'penalty' | 'refuse';
  latePenaltyPercent: number | null;
  allowedFileTypes: string[];
  maxFileBytes: number | null;
  gradingMethod: 'rubric' | 'none';
  rubricId: string | null;
  maxPoints: number | null;
  passPoints: number | null;
  secondMarking: boolean;
  questions: unknown[];
}

export interface DemoCompletionRule {
  id: string;
  offeringId: string;
  districtId: string;
  effectiveFrom: string;
  minAttendanceShare: number;
  requiredItemIds: string[];
  requireEvaluation: boolean;
}

const LEVELS = [['待改进', 1], ['合格', 3], ['良好', 4], ['优秀', 5]] as const;
const CRITERIA = [
  ['活动目标', '目标符合幼儿年龄特点，具体、可观察'],
  ['活动设计', '环节清晰，材料支持幼儿主动探究'],
  ['师幼互动', '关注个体差异，回应及时、有效'],
  ['观察与反思', '有观察记录，反思指向改进'],
] as const;

const EVALUATION = [
  { id: 'q1', kind: 'rating', prompt: '总体满意度', required: true },
  { id: 'q2', kind: 'rating', prompt: '内容对日常保教工作的帮助', required: true },
  { id: 'q3', kind: 'choice', prompt: '最有收获的环节', options: ['专题讲座', '现场观摩', '分组研讨'], required: true },
  { id: 'q4', kind: 'text', prompt: '意见和建议', required: false },
];

/**
 * A district rubric for demonstration lessons, and, on the offerings the demo teacher attends, an assignment
 * graded with it and the course evaluation; their completion rule is Shanghai's: attendance, the assignment
 * passed, and credit only after the evaluation.
 */
export function buildAssessment(catalog: DemoCatalog, users: DemoUser[], enrollments: DemoEnrollment[]) {
  const trainer = users.find((u) => u.username === DEMO_USERNAMES.trainer)!;
  const teacher = users.find((u) => u.username === DEMO_USERNAMES.teacher)!;
  const districtId = catalog.offerings[0].districtId;
  const rubric: DemoRubric = {
    id: demoUuid('rubric:demonstration-lesson'), districtId, ownerUserId: trainer.id, method: 'rubric', name: '集体教学活动（示范课）评价量规',
    description: '用于示范课、公开课与教学活动设计作业的评价', maxPoints: CRITERIA.length * 5,
    criteria: CRITERIA.map(([title, description], c) => ({
      id: `c${c + 1}`, title, description,
      levels: LEVELS.map(([levelTitle, points], l) => ({ id: `c${c + 1}l${l + 1}`, title: levelTitle, points })),
    })),
  };
  const attended = new Set(enrollments.filter((e) => e.personId === teacher.personId).map((e) => e.offeringId));
  const items: DemoAssessmentItem[] = [];
  const rules: DemoCompletionRule[] = [];
  for (const offering of catalog.offerings.filter((o) => attended.has(o.id))) {
    const last = catalog.meetings.filter((m) => m.offeringId === offering.id).map((m) => m.endsAt).sort().at(-1) ?? null;
    const due = last ? new Date(new Date(last).getTime() + 7 * 86_400_000).toISOString() : null;
    const assignment: DemoAssessmentItem = {
      id: demoUuid(`item:${offering.id}:design`), offeringId: offering.id, districtId: offering.districtId, kind: 'assignment',
      title: '教学活动设计与反思', instructions: '结合本班幼儿的实际，设计一个集体教学活动，附实施后的反思（不少于 800 字）。可上传 Word 或 PDF 文件。',
      position: 1, submissionModes: ['text', 'file'], dueAt: due, latePolicy: 'penalty', latePenaltyPercent: 10,
      allowedFileTypes: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'], maxFileBytes: 10 * 1024 * 1024,
      gradingMethod: 'rubric', rubricId: rubric.id, maxPoints: rubric.maxPoints, passPoints: 12, secondMarking: false, questions: [],
    };
    const survey: DemoAssessmentItem = {
      id: demoUuid(`item:${offering.id}:evaluation`), offeringId: offering.id, districtId: offering.districtId, kind: 'survey',
      title: '课程评价', instructions: '请在结业前完成课程评价（完成后方可获得学分）。', position: 2, submissionModes: [], dueAt: due,
      latePolicy: 'accept', latePenaltyPercent: null, allowedFileTypes: [], maxFileBytes: null, gradingMethod: 'none', rubricId: null,
      maxPoints: null, passPoints: null, secondMarking: false, questions: EVALUATION,
    };
    items.push(assignment, survey);
    rules.push({
      id: demoUuid(`completion-rule:${offering.id}`), offeringId: offering.id, districtId: offering.districtId, effectiveFrom: '2026-11-01T00:00:00+08:00',
      minAttendanceShare: offering.minAttendanceShare, requiredItemIds: [assignment.id], requireEvaluation: true,
    });
  }
  return { rubrics: [rubric], assessmentItems: items, completionRules: rules };
}
