import { nationalIdCheckChar } from '../../common/national-id.js';
import { parseStaffRow } from './staff-rows.js';

const id = (first17: string) => first17 + nationalIdCheckChar(first17);
const ID = id('31011819900307452'); // born 1990-03-07, female
const TODAY = '2026-06-01';
const valid = {
  fullName: '王丽', nationalId: ID, educationLevel: '本科', kindergartenCode: 'sh-qp-k001', post: '专任教师', hireDate: '2012-09-01',
};
const codes = (values: Record<string, string>) => parseStaffRow(values, TODAY).problems.map((p) => `${p.field}:${p.code}`);

describe('parseStaffRow', () => {
  it('reads a plain row: words to codes, the ID’s birth date and gender, the post starting at the hire date', () => {
    const { draft, problems } = parseStaffRow({
      ...valid, gender: '女', birthDate: '1990/3/7', phone: '+86 138-1234-5678', preschoolMajor: '是', title: '幼儿园一级教师', titleDate: '2018年9月1日',
      teacherCertificate: ' 2012 3100 ', teacherCertificateDate: '20120701',
    }, TODAY);
    expect(problems).toEqual([]);
    expect(draft).toMatchObject({
      fullName: '王丽', nationalId: ID, gender: 'female', birthDate: '1990-03-07', phone: '13812345678', educationLevel: 'bachelor',
      preschoolMajor: true, hireDate: '2012-09-01', kindergartenCode: 'SH-QP-K001', post: 'teacher', postStartDate: '2012-09-01',
      title: { title: 'first', effectiveDate: '2018-09-01', approvingBody: '历史档案导入' },
      certificates: [{ kind: 'teacher_qualification', number: '20123100', issuedOn: '2012-07-01', field: 'teacherCertificate' }],
    });
  });

  it('names the national ID’s problem: format, check digit, impossible birth date', () => {
    expect(codes({ ...valid, nationalId: '12345' })).toEqual(['nationalId:NATIONAL_ID_FORMAT']);
    expect(codes({ ...valid, nationalId: ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1') })).toEqual(['nationalId:NATIONAL_ID_CHECKSUM']);
    expect(codes({ ...valid, nationalId: id('31011819900230452') })).toEqual(['nationalId:NATIONAL_ID_BIRTH_DATE']);
    expect(codes({ ...valid, nationalId: '' })).toEqual(['nationalId:REQUIRED']);
  });

  it('lists every problem of a row at once: unknown words, mismatches with the ID, missing values', () => {
    expect(codes({
      fullName: '王丽', nationalId: ID, gender: '男', birthDate: '1990-03-08', phone: '12345', educationLevel: '小学', preschoolMajor: '也许',
      kindergartenCode: 'X', post: '司机', title: '特级', titleDate: '2018-09-01',
    })).toEqual([
      'gender:GENDER_MISMATCH', 'birthDate:BIRTH_DATE_MISMATCH', 'phone:INVALID_PHONE', 'educationLevel:UNKNOWN_VALUE',
      'preschoolMajor:UNKNOWN_VALUE', 'post:UNKNOWN_VALUE', 'postStartDate:REQUIRED', 'title:UNKNOWN_VALUE',
    ]);
  });

  it('refuses dates in an impossible order: hired before 16, a post or title before the hire, anything in the future', () => {
    expect(codes({ ...valid, hireDate: '2005-09-01' })).toEqual(['hireDate:BEFORE_AGE_16']);
    expect(codes({ ...valid, postStartDate: '2011-09-01' })).toEqual(['postStartDate:BEFORE_HIRE']);
    expect(codes({ ...valid, title: '二级', titleDate: '2010-09-01' })).toEqual(['titleDate:BEFORE_HIRE']);
    expect(codes({ ...valid, hireDate: '2027-09-01' })).toEqual(['hireDate:DATE_IN_FUTURE']);
    expect(codes({ ...valid, hireDate: '2012-13-01' })).toEqual(['hireDate:INVALID_DATE']);
  });

  it('wants a title with its date, a certificate number with its date, and the other way round', () => {
    expect(codes({ ...valid, title: '二级' })).toEqual(['titleDate:REQUIRED']);
    expect(codes({ ...valid, titleDate: '2015-09-01' })).toEqual(['title:REQUIRED']);
    expect(codes({ ...valid, title: '无' })).toEqual([]);
    expect(codes({ ...valid, caregiverCertificate: 'BY1' })).toEqual(['caregiverCertificateDate:REQUIRED']);
    expect(codes({ ...valid, healthCertificateDate: '2015-01-01' })).toEqual(['healthCertificate:REQUIRED']);
  });
});
