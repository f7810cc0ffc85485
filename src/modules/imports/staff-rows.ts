import { nationalIdCheckChar, normaliseNationalId, parseNationalId } from '../../common/national-id.js';
import { PHONE_PATTERN } from '../people/people.dto.js';
import type { EducationLevel, Gender, Post } from '../people/person.entity.js';
import type { CertificateKind, Title } from '../people/person-records.entity.js';
import { calendarDate, halfWidth, labelKey, problem, yearsAfter, yesNo, type ImportProblem } from './import-kinds-cells.js';
import type { ImportField } from './row-importer.js';

const f = (key: string, headerZh: string, headerEn: string, required: boolean, example: string, aliases: string[] = [], choices?: readonly string[]): ImportField =>
  ({ key, headerZh, headerEn, required, example, aliases, ...(choices ? { choices } : {}) });

/** The staff template, in column order: one row per person. */
export const STAFF_FIELDS: readonly ImportField[] = [
  f('fullName', '姓名', 'Name', true, '王丽', ['教职工姓名', '名字']),
  f('gender', '性别', 'Gender', false, '女', [], ['女', '男']),
  f('birthDate', '出生日期', 'Birth date', false, '1990-03-07', ['出生年月日', '生日']),
  f('nationalId', '身份证号', 'National ID', true, '110101199003074522', ['身份证号码', '公民身份号码', '身份证', '证件号码']),
  f('phone', '手机号', 'Mobile phone', false, '13812345678', ['手机', '手机号码', '联系电话', '移动电话']),
  f('educationLevel', '学历', 'Education', true, '本科', ['最高学历'], ['高中', '中专/中师', '大专', '本科', '硕士', '博士']),
  f('preschoolMajor', '是否学前教育专业', 'Preschool education major', false, '是', ['学前教育专业', '学前专业'], ['是', '否']),
  f('hireDate', '参加工作日期', 'Hire date', false, '2012-09-01', ['入职日期', '参加工作时间', '工作日期', '入职时间']),
  f('kindergartenCode', '园所代码', 'Kindergarten code', true, 'SH-QP-K001', ['幼儿园代码', '园所编码', '单位代码']),
  f('post', '岗位', 'Post', true, '专任教师', ['岗位名称', '现任岗位'], ['专任教师', '园长', '副园长', '保育员', '卫生保健人员', '营养员/炊事员', '其他']),
  f('postStartDate', '岗位起始日期', 'Post start date', false, '2012-09-01', ['任岗日期', '任职日期', '岗位开始日期', '到岗日期']),
  f('title', '职称', 'Title', false, '一级', ['专业技术职称', '职称等级'], ['三级', '二级', '一级', '高级', '正高级', '无']),
  f('titleDate', '职称取得日期', 'Title date', false, '2018-09-01', ['职称评定日期', '取得职称日期', '职称时间']),
  f('titleApprovingBody', '职称评审单位', 'Title approved by', false, '青浦区教育局', ['评审单位', '审批单位']),
  f('teacherCertificate', '教师资格证号', 'Teacher qualification no.', false, '20123100142000123', ['教师资格证书号', '教师资格证编号', '教师资格证书编号']),
  f('teacherCertificateDate', '发证日期', 'Teacher qualification issued on', false, '2012-07-01', ['教师资格证发证日期', '资格证发证日期']),
  f('caregiverCertificate', '保育员证号', 'Caregiver certificate no.', false, ''),
  f('caregiverCertificateDate', '保育员证发证日期', 'Caregiver certificate issued on', false, ''),
  f('healthCertificate', '卫生保健证号', 'Health care certificate no.', false, '', ['卫生保健培训合格证号']),
  f('healthCertificateDate', '卫生保健证发证日期', 'Health care certificate issued on', false, ''),
  f('principalCertificate', '园长任职资格证号', 'Principal training certificate no.', false, '', ['园长任职资格培训合格证号']),
  f('principalCertificateDate', '园长任职资格证发证日期', 'Principal training certificate issued on', false, ''),
];

/** Certificate columns: the number's field, its date's field, the kind recorded. */
export const CERTIFICATE_COLUMNS: ReadonlyArray<readonly [string, string, CertificateKind]> = [
  ['teacherCertificate', 'teacherCertificateDate', 'teacher_qualification'],
  ['caregiverCertificate', 'caregiverCertificateDate', 'caregiver'],
  ['healthCertificate', 'healthCertificateDate', 'health_care'],
  ['principalCertificate', 'principalCertificateDate', 'principal_training'],
];

const GENDER_LABELS: Record<Gender, readonly string[]> = { female: ['女', 'f', '女性'], male: ['男', 'm', '男性'] };
export const EDUCATION_LABELS: Record<EducationLevel, readonly string[]> = {
  high_school: ['高中', '高中及以下', '初中', '职高'],
  secondary_vocational: ['中专', '中师', '中专/中师', '中职', '中等职业'],
  junior_college: ['大专', '专科', '大学专科'],
  bachelor: ['本科', '大学本科', '学士'],
  master: ['硕士', '研究生', '硕士研究生'],
  doctorate: ['博士', '博士研究生'],
};
export const POST_LABELS: Record<Post, readonly string[]> = {
  teacher: ['专任教师', '教师', '幼儿教师', '带班教师'],
  principal: ['园长'],
  vice_principal: ['副园长'],
  caregiver: ['保育员'],
  health: ['卫生保健人员', '保健员', '保健医生', '卫生保健'],
  nutrition: ['营养员/炊事员', '营养员', '炊事员', '厨师'],
  other: ['其他'],
};
export const TITLE_LABELS: Record<Title, readonly string[]> = {
  third: ['三级', '三级教师', '幼儿园三级教师'],
  second: ['二级', '二级教师', '幼儿园二级教师', '小学二级教师'],
  first: ['一级', '一级教师', '幼儿园一级教师', '小学一级教师'],
  senior: ['高级', '高级教师', '幼儿园高级教师', '小学高级教师'],
  professorial: ['正高级', '正高级教师'],
};
/** A word → value lookup built once per list (a 50,000-row file asks it hundreds of thousands of times). */
function lookup<T extends string>(labels: Record<T, readonly string[]>): (text: string) => T | undefined {
  const byKey = new Map<string, T>();
  for (const [value, names] of Object.entries(labels) as Array<[T, readonly string[]]>) {
    for (const name of [value, ...names]) if (!byKey.has(labelKey(name))) byKey.set(labelKey(name), value);
  }
  return (text) => byKey.get(labelKey(text));
}
const genderOf = lookup(GENDER_LABELS);
const educationOf = lookup(EDUCATION_LABELS);
const postOf = lookup(POST_LABELS);
const titleOf = lookup(TITLE_LABELS);

/** Written where a person has no title yet. */
const NO_TITLE = ['无', '未评', '未定级', '暂无'];
const DEFAULT_APPROVING_BODY = '历史档案导入';

/** A row's values after parsing, before the database is consulted. National ID stays plain here, only in memory. */
export interface StaffDraft {
  fullName: string;
  nationalId: string;
  gender: Gender;
  birthDate: string;
  phone?: string;
  educationLevel?: EducationLevel;
  preschoolMajor?: boolean;
  hireDate?: string;
  kindergartenCode: string;
  post?: Post;
  postStartDate?: string;
  title?: { title: Title; effectiveDate: string; approvingBody: string };
  certificates: Array<{ kind: CertificateKind; number: string; issuedOn: string; field: string }>;
}

/** The national ID's problem, or null when it is a valid 18-character ID. */
export function nationalIdProblem(raw: string | undefined): ImportProblem | null {
  if (!raw) return problem('nationalId', 'REQUIRED', 'nationalId is required');
  const id = normaliseNationalId(halfWidth(raw));
  if (!/^\d{17}[\dX]$/.test(id)) return problem('nationalId', 'NATIONAL_ID_FORMAT', 'nationalId must be 17 digits and a check digit or X');
  if (nationalIdCheckChar(id.slice(0, 17)) !== id[17]) return problem('nationalId', 'NATIONAL_ID_CHECKSUM', 'nationalId has a wrong check digit');
  if (!parseNationalId(id)) return problem('nationalId', 'NATIONAL_ID_BIRTH_DATE', 'nationalId holds an impossible birth date');
  return null;
}

/**
 * Parses one row, listing every problem it can see without the database: required values, unknown
 * words, dates that are no dates or come in an impossible order (hired before 16, a post before the
 * hire, a title before the hire, anything in the future).
 */
export function parseStaffRow(values: Record<string, string>, today: string): { draft: StaffDraft; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const idProblem = nationalIdProblem(values.nationalId);
  if (idProblem) problems.push(idProblem);
  const nationalId = idProblem ? '' : normaliseNationalId(halfWidth(values.nationalId));
  const fromId = idProblem ? null : parseNationalId(nationalId)!;

  const fullName = halfWidth(values.fullName ?? '').replace(/\s+/g, ' ');
  if (!fullName) problems.push(problem('fullName', 'REQUIRED', 'fullName is required'));
  else if ([...fullName].length > 100) problems.push(problem('fullName', 'TOO_LONG', 'fullName is longer than 100 characters', { max: 100 }));

  const gender = values.gender ? genderOf(values.gender) : undefined;
  if (values.gender && !gender) problems.push(problem('gender', 'UNKNOWN_VALUE', `gender ${values.gender} is not 男 or 女`, { value: values.gender }));
  if (gender && fromId && gender !== fromId.gender) problems.push(problem('gender', 'GENDER_MISMATCH', 'gender does not agree with the national ID'));

  const date = (field: string): string | undefined => {
    const text = values[field];
    if (!text) return undefined;
    const parsed = calendarDate(text);
    if (!parsed) problems.push(problem(field, 'INVALID_DATE', `${field} is not a date`, { value: text }));
    else if (parsed > today) problems.push(problem(field, 'DATE_IN_FUTURE', `${field} is in the future`));
    return parsed;
  };
  const birthDate = date('birthDate');
  if (birthDate && fromId && birthDate !== fromId.birthDate) {
    problems.push(problem('birthDate', 'BIRTH_DATE_MISMATCH', 'birthDate does not agree with the national ID', { expected: fromId.birthDate }));
  }
  const sixteen = fromId ? yearsAfter(fromId.birthDate, 16) : null;
  const adult = (field: string, value: string | undefined) => {
    if (value && sixteen && value < sixteen) problems.push(problem(field, 'BEFORE_AGE_16', `${field} is before the person turned 16`, { date: sixteen }));
  };

  const phone = values.phone ? halfWidth(values.phone).replace(/[\s-]/g, '').replace(/^\+?86/, '') : undefined;
  if (phone && !PHONE_PATTERN.test(phone)) problems.push(problem('phone', 'INVALID_PHONE', 'phone is not an 11-digit mobile number', { value: values.phone! }));

  const educationLevel = values.educationLevel ? educationOf(values.educationLevel) : undefined;
  if (!values.educationLevel) problems.push(problem('educationLevel', 'REQUIRED', 'educationLevel is required'));
  else if (!educationLevel) problems.push(problem('educationLevel', 'UNKNOWN_VALUE', `educationLevel ${values.educationLevel} is not known`, { value: values.educationLevel }));

  const preschoolMajor = values.preschoolMajor ? yesNo(values.preschoolMajor) : undefined;
  if (values.preschoolMajor && preschoolMajor === undefined) {
    problems.push(problem('preschoolMajor', 'UNKNOWN_VALUE', 'preschoolMajor must be 是 or 否', { value: values.preschoolMajor }));
  }

  const hireDate = date('hireDate');
  adult('hireDate', hireDate);

  const kindergartenCode = halfWidth(values.kindergartenCode ?? '').toUpperCase();
  if (!kindergartenCode) problems.push(problem('kindergartenCode', 'REQUIRED', 'kindergartenCode is required'));

  const post = values.post ? postOf(values.post) : undefined;
  if (!values.post) problems.push(problem('post', 'REQUIRED', 'post is required'));
  else if (!post) problems.push(problem('post', 'UNKNOWN_VALUE', `post ${values.post} is not known`, { value: values.post }));

  const postStartDate = date('postStartDate') ?? (values.postStartDate ? undefined : hireDate);
  if (!values.postStartDate && !values.hireDate) problems.push(problem('postStartDate', 'REQUIRED', 'postStartDate (or hireDate) is required'));
  adult('postStartDate', values.postStartDate ? postStartDate : undefined);
  if (postStartDate && hireDate && postStartDate < hireDate) {
    problems.push(problem('postStartDate', 'BEFORE_HIRE', 'postStartDate is before hireDate', { date: hireDate }));
  }

  const title = parseTitle(values, hireDate, date, adult, problems);
  const certificates = parseCertificates(values, date, adult, problems);

  const draft: StaffDraft = {
    fullName, nationalId, gender: fromId?.gender ?? gender ?? 'female', birthDate: fromId?.birthDate ?? birthDate ?? '',
    phone, educationLevel, preschoolMajor, hireDate, kindergartenCode, post, postStartDate, title, certificates,
  };
  return { draft, problems };
}

type DateReader = (field: string) => string | undefined;
type AgeCheck = (field: string, value: string | undefined) => void;

function parseTitle(values: Record<string, string>, hireDate: string | undefined, date: DateReader, adult: AgeCheck, problems: ImportProblem[]): StaffDraft['title'] {
  const none = !values.title || NO_TITLE.includes(halfWidth(values.title));
  const title = none ? undefined : titleOf(values.title);
  if (!none && !title) problems.push(problem('title', 'UNKNOWN_VALUE', `title ${values.title} is not known`, { value: values.title }));
  const effectiveDate = date('titleDate');
  if (none && values.titleDate) problems.push(problem('title', 'REQUIRED', 'titleDate is given without a title'));
  if (!none && !values.titleDate) problems.push(problem('titleDate', 'REQUIRED', 'a title needs the date it was obtained'));
  adult('titleDate', effectiveDate);
  if (effectiveDate && hireDate && effectiveDate < hireDate) problems.push(problem('titleDate', 'BEFORE_HIRE', 'titleDate is before hireDate', { date: hireDate }));
  const approvingBody = halfWidth(values.titleApprovingBody ?? '') || DEFAULT_APPROVING_BODY;
  if (approvingBody.length > 200) problems.push(problem('titleApprovingBody', 'TOO_LONG', 'titleApprovingBody is longer than 200 characters', { max: 200 }));
  return title && effectiveDate ? { title, effectiveDate, approvingBody } : undefined;
}

function parseCertificates(values: Record<string, string>, date: DateReader, adult: AgeCheck, problems: ImportProblem[]): StaffDraft['certificates'] {
  const certificates: StaffDraft['certificates'] = [];
  for (const [numberField, dateField, kind] of CERTIFICATE_COLUMNS) {
    const number = halfWidth(values[numberField] ?? '').replace(/\s+/g, '');
    const issuedOn = date(dateField);
    adult(dateField, issuedOn);
    if (number && !values[dateField]) problems.push(problem(dateField, 'REQUIRED', `${dateField} is required with the certificate number`));
    if (!number && values[dateField]) problems.push(problem(numberField, 'REQUIRED', `${numberField} is required with the issue date`));
    if (number.length > 50) problems.push(problem(numberField, 'TOO_LONG', `${numberField} is longer than 50 characters`, { max: 50 }));
    else if (number && issuedOn) certificates.push({ kind, number, issuedOn, field: numberField });
  }
  return certificates;
}
