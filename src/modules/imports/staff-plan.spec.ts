import type { StaffState } from '../people/people-bulk-writer.js';
import { planStaffRow, type StaffRowData } from './staff-plan.js';

const DISTRICT = 'district-qp';
const row: StaffRowData = {
  fullName: '王丽', nationalIdHash: 'h1', nationalIdEnc: 'enc', nationalIdMasked: '310***********4521', gender: 'female', birthDate: '1990-03-07',
  phone: { enc: 'p', hash: 'ph-new', masked: '138****5678' }, educationLevel: 'bachelor', preschoolMajor: null, hireDate: '2012-09-01',
  kindergartenId: 'k1', kindergartenCode: 'SH-QP-K001', post: 'teacher', postStartDate: '2012-09-01',
  title: { title: 'first', effectiveDate: '2018-09-01', approvingBody: '历史档案导入' },
  certificates: [{ kind: 'teacher_qualification', number: 'T1', issuedOn: '2012-07-01', field: 'teacherCertificate' }], changes: [],
};
const state: StaffState = {
  personId: 'p1', nationalIdHash: 'h1', districtId: DISTRICT, fullName: '王丽', birthDate: '1990-03-07', phoneHash: 'ph-new',
  educationLevel: 'bachelor', preschoolMajor: true, hireDate: '2012-09-01',
  employment: { orgUnitId: 'k1', post: 'teacher', startDate: '2012-09-01' }, title: { title: 'first', effectiveDate: '2018-09-01' },
  certificates: [{ kind: 'teacher_qualification', number: 'T1' }],
};
const none = new Map<string, string>();

describe('planStaffRow', () => {
  it('creates a new person with their employment, title and certificates', () => {
    const plan = planStaffRow(row, null, none, DISTRICT);
    expect(plan.create).toBe(true);
    expect(plan.batch.newPeople).toEqual([expect.objectContaining({ nationalIdHash: 'h1', preschoolMajor: false, districtId: DISTRICT })]);
    expect(plan.batch.employments).toEqual([{ nationalIdHash: 'h1', orgUnitId: 'k1', districtId: DISTRICT, post: 'teacher', startDate: '2012-09-01' }]);
    expect(plan.batch.titles).toHaveLength(1);
    expect(plan.batch.certificates).toEqual([{ nationalIdHash: 'h1', kind: 'teacher_qualification', number: 'T1', issuedOn: '2012-07-01' }]);
  });

  it('finds a row that matches the record unchanged, whatever the cells it leaves empty', () => {
    const plan = planStaffRow({ ...row, phone: null, hireDate: null, title: null, certificates: [] }, state, none, DISTRICT);
    expect(plan).toMatchObject({ problems: [], changes: [], create: false });
    expect(Object.values(plan.batch).flat()).toEqual([]);
  });

  it('changes what differs: basic data, a move to another kindergarten, a higher title, a new certificate', () => {
    const plan = planStaffRow({
      ...row, phone: { enc: 'p2', hash: 'ph-2', masked: '139****0000' }, kindergartenId: 'k2', postStartDate: '2024-09-01',
      title: { title: 'senior', effectiveDate: '2024-01-01', approvingBody: '区教育局' },
      certificates: [...row.certificates, { kind: 'caregiver', number: 'C9', issuedOn: '2015-01-01', field: 'caregiverCertificate' }],
    }, state, none, DISTRICT);
    expect(plan.changes).toEqual(['phone', 'kindergartenCode', 'title', 'caregiverCertificate']);
    expect(plan.batch.changes).toEqual([{ nationalIdHash: 'h1', phone: { enc: 'p2', hash: 'ph-2', masked: '139****0000' } }]);
    expect(plan.batch.employments).toEqual([expect.objectContaining({ orgUnitId: 'k2', startDate: '2024-09-01' })]);
  });

  it('refuses a person of another district, a lower title, a higher title predating the record, a move before the current post, a certificate held by someone else', () => {
    expect(planStaffRow(row, { ...state, districtId: 'elsewhere' }, none, DISTRICT).problems.map((p) => p.code)).toEqual(['PERSON_IN_OTHER_DISTRICT']);
    const codes = planStaffRow({
      ...row, kindergartenId: 'k2', postStartDate: '2010-09-01', title: { title: 'second', effectiveDate: '2019-01-01', approvingBody: 'x' },
    }, state, new Map([['teacher_qualification:T1', 'someone-else']]), DISTRICT).problems.map((p) => `${p.field}:${p.code}`);
    expect(codes).toEqual(['teacherCertificate:CERTIFICATE_TAKEN', 'postStartDate:BEFORE_CURRENT_POST', 'title:TITLE_LOWER_THAN_RECORD']);
    const earlier = planStaffRow({ ...row, title: { title: 'senior', effectiveDate: '2017-01-01', approvingBody: 'x' } }, state, none, DISTRICT);
    expect(earlier.problems.map((p) => p.code)).toEqual(['TITLE_DATE_BEFORE_CURRENT']);
  });
});
