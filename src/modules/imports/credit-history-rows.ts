import { createHash } from 'node:crypto';
import type { FieldProblem } from '../../common/errors.js';
import { normaliseNationalId } from '../../common/national-id.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import { ledgerInputProblems } from '../credits/ledger-rules.js';
import { calendarDate, decimalNumber, fromLabels, halfWidth, problem, yearsAfter, type ImportProblem } from './import-kinds-cells.js';
import type { ImportField } from './row-importer.js';
import { nationalIdProblem } from './staff-rows.js';

/** The template of the credit history import, in column order. */
export const CREDIT_HISTORY_FIELDS: readonly ImportField[] = [
  { key: 'nationalId', headerZh: '身份证号', headerEn: 'National ID', required: true, aliases: ['身份证号码', '公民身份号码', '证件号码', '身份证'], example: '310118199001011234' },
  { key: 'fullName', headerZh: '姓名', headerEn: 'Name', required: true, aliases: ['教师姓名', '学员姓名'], example: '张丽' },
  { key: 'title', headerZh: '培训项目名称', headerEn: 'Training', required: true, aliases: ['项目名称', '培训名称', '课程名称', '培训项目'], example: '幼儿园游戏活动设计与指导' },
  { key: 'hours', headerZh: '学时', headerEn: 'Hours', required: true, aliases: ['培训学时'], example: '30' },
  { key: 'credits', headerZh: '学分', headerEn: 'Credits', required: false, aliases: ['培训学分', '获得学分'], example: '3' },
  { key: 'category', headerZh: '类别', headerEn: 'Category', required: true, aliases: ['学分类别', '培训类别'], example: '知识技能' },
  { key: 'level', headerZh: '级别', headerEn: 'Level', required: true, aliases: ['培训级别', '项目级别'], example: '区级' },
  { key: 'occurredOn', headerZh: '完成日期', headerEn: 'Completed on', required: true, aliases: ['完成时间', '结业日期', '日期', '培训日期'], example: '2023-06-30' },
  { key: 'importedSource', headerZh: '来源平台', headerEn: 'Source platform', required: true, aliases: ['来源', '数据来源', '平台'], example: '上海市教师教育管理平台' },
  { key: 'externalId', headerZh: '原编号', headerEn: 'Original ID', required: false, aliases: ['记录编号', '原记录编号', '编号'], example: 'SHJS-2023-000123' },
];

export const CATEGORY_LABELS: Record<CreditCategory, readonly string[]> = {
  ethics: ['师德素养', '师德', '师德与素养', '师德修养'],
  knowledge_skills: ['知识技能', '专业知识与技能'],
  practice: ['实践体验', '实践'],
  self_study: ['自主研修', '自主发展', '自主学习'],
};
export const LEVEL_LABELS: Record<CourseLevel, readonly string[]> = {
  city: ['市级', '市'],
  district: ['区级', '区', '区县级'],
  kindergarten: ['园本', '校本', '园本(校本)', '园级', '校级'],
};

/** Nobody earns training credits before this age; earlier dates are typing mistakes. */
export const MIN_AGE_AT_TRAINING = 16;
const MAX_SOURCE = 200;
const MAX_EXTERNAL_ID = 100;

/** A parsed entry; the person and the converted credits are filled in from the database afterwards. */
export interface CreditHistoryDraft {
  nationalId: string;
  fullName: string;
  title: string;
  hours: number;
  credits: number | null;
  category: CreditCategory;
  level: CourseLevel;
  occurredOn: string;
  importedSource: string;
  externalId: string | null;
}

/** Parses one row; every bad cell is a problem naming its field. `today` in Shanghai. */
export function parseCreditHistoryRow(values: Record<string, string>, today: string): { draft: CreditHistoryDraft; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const text = (key: string) => values[key]?.trim() ?? '';
  const required = (key: string) => {
    if (!text(key)) problems.push(problem(key, 'REQUIRED', `${key} is required`));
    return text(key);
  };
  const idProblem = nationalIdProblem(text('nationalId'));
  if (idProblem) problems.push(idProblem);
  const nationalId = idProblem ? '' : normaliseNationalId(halfWidth(text('nationalId')));
  const fullName = required('fullName');
  const title = required('title');
  const number = (key: 'hours' | 'credits') => {
    const raw = text(key);
    if (!raw) return null;
    const value = decimalNumber(raw);
    if (value === undefined) problems.push(problem(key, 'INVALID_NUMBER', `${key} must be a number`, { value: raw }));
    return value ?? null;
  };
  const hoursCell = required('hours') ? number('hours') : null;
  const credits = number('credits');
  const label = <T extends string>(key: 'category' | 'level', labels: Record<T, readonly string[]>, allowed: readonly T[]): T => {
    const raw = required(key);
    const value = raw ? fromLabels(raw, labels) : undefined;
    if (raw && (!value || !allowed.includes(value))) problems.push(problem(key, 'UNKNOWN_VALUE', `${key}: unknown value ${raw}`, { value: raw }));
    return value ?? allowed[0];
  };
  const category = label('category', CATEGORY_LABELS, CREDIT_CATEGORIES);
  const level = label('level', LEVEL_LABELS, COURSE_LEVELS);
  const dateCell = required('occurredOn');
  const occurredOn = dateCell ? calendarDate(dateCell) : undefined;
  if (dateCell && !occurredOn) problems.push(problem('occurredOn', 'INVALID_DATE', 'occurredOn must be a date such as 2023-06-30', { value: dateCell }));
  const importedSource = required('importedSource');
  if (importedSource.length > MAX_SOURCE) problems.push(problem('importedSource', 'TOO_LONG', `importedSource must be at most ${MAX_SOURCE} characters`, { max: MAX_SOURCE }));
  const externalId = text('externalId') || null;
  if (externalId && externalId.length > MAX_EXTERNAL_ID) problems.push(problem('externalId', 'TOO_LONG', `externalId must be at most ${MAX_EXTERNAL_ID} characters`, { max: MAX_EXTERNAL_ID }));

  const draft: CreditHistoryDraft = {
    nationalId, fullName, title, hours: hoursCell ?? 0, credits, category, level, occurredOn: occurredOn ?? '', importedSource, externalId,
  };
  // The ledger's own rules on amounts, title and date, reported for the cells that parsed.
  const reported = new Set(problems.map((p) => p.field));
  for (const p of ledgerInputProblems({ ...draft, personId: '', source: 'import', recordedBy: null }, today)) {
    if (reported.has(p.field) || (p.field === 'occurredOn' && !occurredOn)) continue;
    problems.push(ledgerProblem(p));
  }
  return { draft, problems };
}

/** The ledger's problem in the import's words (shared codes such as TOO_LONG, or the ledger's own). */
export function ledgerProblem(p: FieldProblem): ImportProblem {
  if (p.code === 'isLength') return problem(p.field, 'TOO_LONG', p.message, { max: 200 });
  if (p.code === 'isNumber') return problem(p.field, 'INVALID_NUMBER', p.message);
  if (p.code === 'min') return problem(p.field, 'NEGATIVE_AMOUNT', p.message);
  return problem(p.field, p.code, p.message);
}

/** The birth date rule: an entry dated before the person turned 16 cannot be theirs. */
export function ageProblem(occurredOn: string, birthDate: string): ImportProblem | null {
  const earliest = yearsAfter(birthDate, MIN_AGE_AT_TRAINING);
  return occurredOn && occurredOn < earliest
    ? problem('occurredOn', 'BEFORE_AGE_16', `occurredOn is before the person turned ${MIN_AGE_AT_TRAINING} (${earliest})`, { date: earliest })
    : null;
}

/** Whether the file's name is the person's, ignoring spaces and full-width forms. */
export function sameName(fromFile: string, onRecord: string): boolean {
  const key = (name: string) => halfWidth(name).replace(/[\s·•.]/g, '');
  return key(fromFile) === key(onRecord);
}

/**
 * The ledger idempotency key of an imported entry: by the original record's id when the file has
 * one, else by the entry's own content, so importing the same file again finds every entry recorded.
 */
export function importSourceKey(districtId: string, nationalIdHash: string, draft: CreditHistoryDraft): string {
  const identity = draft.externalId
    ? ['id', draft.externalId]
    : ['content', draft.title.trim(), draft.hours, draft.credits ?? '', draft.category, draft.level, draft.occurredOn];
  const digest = createHash('sha256').update([districtId, nationalIdHash, draft.importedSource.trim(), ...identity].join('|')).digest('hex');
  return `import:${digest}`;
}
