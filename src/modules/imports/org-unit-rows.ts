import { KINDERGARTEN_GRADES, KINDERGARTEN_STATUSES, OWNERSHIPS, type KindergartenGrade, type KindergartenStatus, type Ownership } from '../org/org-unit.entity.js';
import { ORG_CODE_PATTERN } from '../org/org.dto.js';
import { kindergartenFieldProblems, type KindergartenField } from '../org/org-rules.js';
import { fromLabels, halfWidth, problem, wholeNumber, yesNo, type ImportProblem } from './import-kinds-cells.js';
import type { ImportField } from './row-importer.js';

/** The template of the kindergarten import, in column order. */
export const ORG_UNIT_FIELDS: readonly ImportField[] = [
  { key: 'code', headerZh: '园所代码', headerEn: 'Code', required: true, aliases: ['幼儿园代码', '园所编码', '代码', '编码'], example: 'SH-QP-K101' },
  { key: 'name', headerZh: '园所名称', headerEn: 'Name', required: true, aliases: ['幼儿园名称', '园所', '名称', '园名'], example: '上海市青浦区示例幼儿园' },
  { key: 'town', headerZh: '所属街镇', headerEn: 'Town', required: false, aliases: ['街镇', '所在街镇', '街道/镇', '所属街道', '片区'], example: '夏阳街道' },
  { key: 'ownership', headerZh: '办园性质', headerEn: 'Ownership', required: false, aliases: ['性质', '公办/民办'], example: '公办' },
  { key: 'inclusive', headerZh: '是否普惠', headerEn: 'Inclusive', required: false, aliases: ['普惠', '普惠性', '是否普惠性'], example: '是' },
  { key: 'grade', headerZh: '等级', headerEn: 'Grade', required: false, aliases: ['园所等级', '办园等级'], example: '一级' },
  { key: 'status', headerZh: '状态', headerEn: 'Status', required: false, aliases: ['办园状态', '园所状态'], example: '在办' },
  { key: 'foundedYear', headerZh: '创办年份', headerEn: 'Founded year', required: false, aliases: ['建园年份', '创建年份', '创办年'], example: '2010' },
  { key: 'openingYear', headerZh: '开办年份', headerEn: 'Opening year', required: false, aliases: ['开园年份', '开办年', '计划开办年份'], example: '' },
  { key: 'kindergartenClasses', headerZh: '班级数', headerEn: 'Kindergarten classes', required: false, aliases: ['幼儿班级数', '班数', '幼儿园班数'], example: '12' },
  { key: 'nurseryClasses', headerZh: '托班数', headerEn: 'Nursery classes', required: false, aliases: ['托班', '托班班级数'], example: '2' },
  { key: 'childrenEnrolled', headerZh: '在园幼儿数', headerEn: 'Children enrolled', required: false, aliases: ['幼儿数', '在园人数', '在园幼儿'], example: '360' },
  { key: 'address', headerZh: '地址', headerEn: 'Address', required: false, aliases: ['园所地址', '详细地址'], example: '上海市青浦区夏阳街道示例路1号' },
  { key: 'groupCode', headerZh: '所属集团代码', headerEn: 'Group code', required: false, aliases: ['集团代码', '学前教育集团代码'], example: 'SH-QP-G01' },
  { key: 'groupName', headerZh: '集团名称', headerEn: 'Group name', required: false, aliases: ['所属集团', '所属集团名称', '学前教育集团'], example: '青浦区第一学前教育集团' },
  { key: 'groupLead', headerZh: '是否引领园', headerEn: 'Lead kindergarten', required: false, aliases: ['引领园', '核心园', '是否核心园'], example: '否' },
];

export const OWNERSHIP_LABELS: Record<Ownership, readonly string[]> = { public: ['公办', '公办园', '公立'], private: ['民办', '民办园', '私立'] };
export const GRADE_LABELS: Record<KindergartenGrade, readonly string[]> = {
  city_demonstration: ['示范园(市级)', '市级示范园', '市示范园', '上海市示范园', '示范园(市)'],
  district_demonstration: ['示范园(区级)', '区级示范园', '区示范园', '示范园(区)'],
  first: ['一级', '一级园'],
  second: ['二级', '二级园'],
  third: ['三级', '三级园'],
  unrated: ['未评级', '未定级', '暂未评级', '无'],
};
export const STATUS_LABELS: Record<KindergartenStatus, readonly string[]> = {
  operating: ['在办', '开办', '运营'], planned: ['筹建', '规划', '在建', '新建'], closed: ['停办', '撤销', '关闭'],
};
/** The template's words for each value, for the result file and the template's examples. */
export const ORG_VALUE_WORDS = { ownership: OWNERSHIP_LABELS, grade: GRADE_LABELS, status: STATUS_LABELS };

/** Validation limits of the org forms (org.dto.ts) and the table, kept in step. */
const MAX = { address: 300, name: 200 } as const;
type NumberField = 'kindergartenClasses' | 'nurseryClasses' | 'childrenEnrolled' | 'foundedYear' | 'openingYear';
const RANGES: Record<NumberField, readonly [number, number]> = {
  kindergartenClasses: [0, 1000], nurseryClasses: [0, 1000], childrenEnrolled: [0, 100000], foundedYear: [1900, 2100], openingYear: [1900, 2100],
};

/** Values of one row after parsing; a field left empty in the file is absent (it keeps its current value). */
export interface KindergartenDraft {
  code: string;
  name: string;
  town?: string;
  ownership?: Ownership;
  inclusive?: boolean;
  grade?: KindergartenGrade;
  status?: KindergartenStatus;
  foundedYear?: number;
  openingYear?: number;
  kindergartenClasses?: number;
  nurseryClasses?: number;
  childrenEnrolled?: number;
  address?: string;
  groupCode?: string;
  groupName?: string;
  groupLead?: boolean;
}

/** The kindergarten columns an update compares and writes (the org unit's own fields). */
export const COMPARED_FIELDS = [
  'name', 'ownership', 'inclusive', 'grade', 'status', 'foundedYear', 'openingYear',
  'kindergartenClasses', 'nurseryClasses', 'childrenEnrolled', 'address',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** Codes are matched without regard to case; new ones are stored as written. */
export const codeKey = (code: string): string => code.toUpperCase();

/** Parses one row's cells; every bad cell is a problem naming its field. */
export function parseKindergartenRow(values: Record<string, string>): { draft: KindergartenDraft; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const text = (key: string): string | undefined => {
    const value = values[key] === undefined ? '' : halfWidth(values[key]);
    return value === '' ? undefined : value;
  };
  const required = (key: 'code' | 'name'): string => {
    const value = text(key);
    if (value === undefined) problems.push(problem(key, 'REQUIRED', `${key} is required`));
    return value ?? '';
  };
  const code = required('code');
  if (code && !ORG_CODE_PATTERN.test(code)) problems.push(problem('code', 'ORG_CODE_FORMAT', 'code must be 1-50 letters, digits, - or _'));
  // Names keep their own punctuation (幼儿园(15+1班) stays as written).
  const name = values.name?.trim() || required('name');
  if (name.length > MAX.name) problems.push(problem('name', 'TOO_LONG', `name must be at most ${MAX.name} characters`, { max: MAX.name }));
  const draft: KindergartenDraft = { code, name };

  const label = <T extends string>(key: 'ownership' | 'grade' | 'status', labels: Record<T, readonly string[]>, allowed: readonly T[]) => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const value = fromLabels(raw, labels);
    if (!value || !allowed.includes(value)) problems.push(problem(key, 'UNKNOWN_VALUE', `${key}: unknown value ${raw}`, { value: raw }));
    return value;
  };
  const flag = (key: 'inclusive' | 'groupLead') => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const value = yesNo(raw);
    if (value === undefined) problems.push(problem(key, 'UNKNOWN_VALUE', `${key} must be 是 or 否`, { value: raw }));
    return value;
  };
  const count = (key: NumberField) => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const value = wholeNumber(raw);
    const [min, max] = RANGES[key];
    if (value === undefined || value < min || value > max) {
      problems.push(problem(key, key.endsWith('Year') ? 'ORG_YEAR_INVALID' : 'ORG_COUNT_INVALID', `${key} must be a whole number from ${min} to ${max}`, { value: raw }));
      return undefined;
    }
    return value;
  };

  draft.town = text('town');
  draft.ownership = label('ownership', OWNERSHIP_LABELS, OWNERSHIPS);
  draft.inclusive = flag('inclusive');
  draft.grade = label('grade', GRADE_LABELS, KINDERGARTEN_GRADES);
  draft.status = label('status', STATUS_LABELS, KINDERGARTEN_STATUSES);
  draft.foundedYear = count('foundedYear');
  draft.openingYear = count('openingYear');
  draft.kindergartenClasses = count('kindergartenClasses');
  draft.nurseryClasses = count('nurseryClasses');
  draft.childrenEnrolled = count('childrenEnrolled');
  draft.address = values.address?.trim() || undefined;
  if (draft.address && draft.address.length > MAX.address) problems.push(problem('address', 'TOO_LONG', `address must be at most ${MAX.address} characters`, { max: MAX.address }));

  draft.groupCode = text('groupCode');
  draft.groupName = values.groupName?.trim() || undefined;
  draft.groupLead = flag('groupLead');
  if (draft.groupCode && !ORG_CODE_PATTERN.test(draft.groupCode)) {
    problems.push(problem('groupCode', 'ORG_CODE_FORMAT', 'groupCode must be 1-50 letters, digits, - or _'));
  }
  if (draft.groupName && draft.groupName.length > MAX.name) problems.push(problem('groupName', 'TOO_LONG', `groupName must be at most ${MAX.name} characters`, { max: MAX.name }));
  if (!draft.groupCode && (draft.groupName || draft.groupLead !== undefined)) {
    problems.push(problem('groupCode', 'GROUP_CODE_REQUIRED', 'A group name or lead mark needs the group code'));
  }
  for (const key of Object.keys(draft) as Array<keyof KindergartenDraft>) if (draft[key] === undefined) delete draft[key];
  return { draft, problems };
}

/**
 * What the kindergarten looks like once the row is applied (its current values overlaid with the
 * row's) must pass the org rules: the fields a kindergarten needs, a planned one's opening year, and
 * an opening year not before the founding year.
 */
export function mergedProblems(merged: Partial<Record<KindergartenField, unknown>>): ImportProblem[] {
  const problems: ImportProblem[] = kindergartenFieldProblems('kindergarten', merged)
    .map((p) => (p.code === 'isNotEmpty' ? problem(p.field, 'REQUIRED_FOR_NEW', `${p.field} is required for a new kindergarten`) : problem(p.field, p.code, p.message)));
  const [founded, opening] = [merged.foundedYear, merged.openingYear];
  if (typeof founded === 'number' && typeof opening === 'number' && opening < founded) {
    problems.push(problem('openingYear', 'ORG_OPENING_BEFORE_FOUNDED', `The opening year ${opening} is before the founding year ${founded}`, { opening, founded }));
  }
  return problems;
}

/** The compared fields whose value in the draft differs from the current one (fields absent from the draft keep theirs). */
export function changedFields(current: Record<ComparedField, unknown>, draft: KindergartenDraft): ComparedField[] {
  return COMPARED_FIELDS.filter((field) => draft[field] !== undefined && draft[field] !== current[field]);
}
