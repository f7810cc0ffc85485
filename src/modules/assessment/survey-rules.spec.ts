import type { SurveyQuestion } from './assessment.entities.js';
import { aggregate, parseQuestionLines, questionLines, sameAnswers, validateAnswers, validateQuestions } from './survey-rules.js';

const QUESTIONS: SurveyQuestion[] = [
  { id: 'q1', kind: 'rating', prompt: '总体满意度', required: true },
  { id: 'q2', kind: 'choice', prompt: '最有帮助的环节', options: ['讲座', '观摩', '研讨'], required: true },
  { id: 'q3', kind: 'multi', prompt: '希望增加', options: ['案例', '实操', '阅读'], required: false },
  { id: 'q4', kind: 'text', prompt: '建议', required: false },
];
const fields = (problems: Array<{ field: string }>) => problems.map((p) => p.field).sort();

describe('survey questions', () => {
  it('numbers the questions q1..qn, whatever ids were sent, and makes them required unless said otherwise', () => {
    const { questions, problems } = validateQuestions([{ id: 'x', kind: 'rating', prompt: ' 满意度 ' }, { kind: 'text', prompt: '建议', required: false }]);
    expect(problems).toEqual([]);
    expect(questions).toEqual([{ id: 'q1', kind: 'rating', prompt: '满意度', required: true }, { id: 'q2', kind: 'text', prompt: '建议', required: false }]);
  });

  it('names each bad part of each question', () => {
    const { problems } = validateQuestions([
      { kind: 'choice', prompt: 'a', options: ['x', 'x'] }, { kind: 'rating', prompt: '', options: ['1'] }, { kind: 'stars', prompt: 'b', extra: 1 }, 'text',
    ]);
    expect(fields(problems)).toEqual(['questions[0].options', 'questions[1].options', 'questions[1].prompt', 'questions[2].extra', 'questions[2].kind', 'questions[3]', 'questions[3].kind', 'questions[3].prompt']);
    expect(fields(validateQuestions([]).problems)).toEqual(['questions']);
    expect(fields(validateQuestions('rating|x').problems)).toEqual(['questions']);
  });
});

describe('survey answers', () => {
  it('accepts a full response and leaves unanswered optional questions out', () => {
    const { answers, problems } = validateAnswers(QUESTIONS, { q1: 4, q2: '观摩', q3: ['阅读', '案例'], q4: '  ' });
    expect(problems).toEqual([]);
    expect(answers).toEqual({ q1: 4, q2: '观摩', q3: ['案例', '阅读'] });
  });

  it('names every bad answer: missing required, rating out of range or not whole, not an option, unknown question, text too long', () => {
    expect(fields(validateAnswers(QUESTIONS, { q1: 6, q3: ['案例', '别的'], q4: 'x'.repeat(2001), q9: 1 }).problems))
      .toEqual(['answers.q1', 'answers.q2', 'answers.q3', 'answers.q4', 'answers.q9']);
    expect(fields(validateAnswers(QUESTIONS, { q1: 3.5, q2: '其他' }).problems)).toEqual(['answers.q1', 'answers.q2']);
    expect(fields(validateAnswers(QUESTIONS, { q1: '4', q2: '讲座', q3: ['案例', '案例'] }).problems)).toEqual(['answers.q1', 'answers.q3']);
    expect(fields(validateAnswers(QUESTIONS, null).problems)).toEqual(['answers']);
  });

  it('sees the same response in any key order', () => {
    expect(sameAnswers({ q1: 4, q2: '观摩' }, { q2: '观摩', q1: 4 })).toBe(true);
    expect(sameAnswers({ q1: 4, q2: '观摩' }, { q1: 5, q2: '观摩' })).toBe(false);
  });
});

describe('survey results', () => {
  it('averages ratings, counts choices, sorts text answers, and gives the response rate', () => {
    const results = aggregate(QUESTIONS, [
      { q1: 5, q2: '观摩', q3: ['案例', '实操'], q4: '希望多一些案例' },
      { q1: 4, q2: '观摩', q3: ['案例'] },
      { q1: 2, q2: '讲座', q4: '时间再长一些' },
    ], 4);
    expect(results).toMatchObject({ responses: 3, learners: 4, rate: 0.75 });
    expect(results.questions[0]).toEqual({ id: 'q1', kind: 'rating', prompt: '总体满意度', answered: 3, average: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } });
    expect(results.questions[1]).toMatchObject({ answered: 3, counts: [{ option: '讲座', count: 1 }, { option: '观摩', count: 2 }, { option: '研讨', count: 0 }] });
    expect(results.questions[2]).toMatchObject({ answered: 2, counts: [{ option: '案例', count: 2 }, { option: '实操', count: 1 }, { option: '阅读', count: 0 }] });
    expect(results.questions[3]).toEqual({ id: 'q4', kind: 'text', prompt: '建议', answered: 2, answers: ['时间再长一些', '希望多一些案例'].sort((a, b) => a.localeCompare(b, 'zh-CN')) });
  });

  it('answers no average and a zero rate when nobody answered', () => {
    const results = aggregate(QUESTIONS, [], 0);
    expect(results.rate).toBe(0);
    expect(results.questions[0]).toMatchObject({ answered: 0, average: null });
  });
});

describe('the question editor lines', () => {
  it('reads one question per line and writes them back the same way', () => {
    const raw = parseQuestionLines('rating|总体满意度\n\nchoice|最有帮助的环节|讲座;观摩；研讨\nmulti|希望增加|案例;实操|optional\ntext|建议|选填');
    const { questions, problems } = validateQuestions(raw);
    expect(problems).toEqual([]);
    expect(questions.map((q) => [q.kind, q.options ?? null, q.required])).toEqual([
      ['rating', null, true], ['choice', ['讲座', '观摩', '研讨'], true], ['multi', ['案例', '实操'], false], ['text', null, false],
    ]);
    expect(questionLines(questions)).toBe('rating|总体满意度\nchoice|最有帮助的环节|讲座;观摩;研讨\nmulti|希望增加|案例;实操|optional\ntext|建议|optional');
  });

  it('lets a malformed line through for validation to name', () => {
    expect(fields(validateQuestions(parseQuestionLines('rating|满意度|多余\nchoice|没有选项')).problems)).toEqual(['questions[0].options', 'questions[1].options']);
  });
});
