import { autoMapping, headerKey, mappingProblems, missingRequired, rowReader } from './header-mapping.js';
import { STAFF_FIELDS } from './staff-rows.js';

describe('header mapping', () => {
  it('recognises template headers and aliases (or the field key) whatever the spacing, width, star or note in brackets', () => {
    expect(headerKey(' 身份证号（18位）* ')).toBe(headerKey('身份证号'));
    const mapping = autoMapping(STAFF_FIELDS, ['*姓名', '身份证号码', '最高学历', '幼儿园代码', '岗位 ', '发证日期', 'Ｐｈｏｎｅ']);
    expect(mapping).toEqual({
      fullName: '*姓名', nationalId: '身份证号码', educationLevel: '最高学历', kindergartenCode: '幼儿园代码', post: '岗位 ',
      teacherCertificateDate: '发证日期', phone: 'Ｐｈｏｎｅ',
    });
    expect(missingRequired(STAFF_FIELDS, mapping)).toEqual([]);
  });

  it('leaves required fields without a recognised column for the mapping step', () => {
    const mapping = autoMapping(STAFF_FIELDS, ['姓名', '证件号', '学历', '单位', '岗位']);
    expect(missingRequired(STAFF_FIELDS, mapping)).toEqual(['nationalId', 'kindergartenCode']);
  });

  it('refuses a chosen mapping with unknown fields, headers not in the file, a column used twice or a required field left out', () => {
    const headers = ['姓名', '证件号', '学历', '单位', '岗位'];
    const problems = mappingProblems(STAFF_FIELDS, headers, {
      fullName: '姓名', nationalId: '证件号', educationLevel: '学历', post: '岗位', phone: '证件号', salary: '单位', kindergartenCode: '',
    });
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual(['mapping.phone:COLUMN_TAKEN', 'mapping.salary:UNKNOWN_FIELD', 'mapping.kindergartenCode:COLUMN_REQUIRED']);
    expect(mappingProblems(STAFF_FIELDS, headers, { fullName: '姓名', nationalId: '证件号', educationLevel: '学历', post: '岗位', kindergartenCode: '单位' })).toEqual([]);
  });

  it('reads a row by column position, trimmed, leaving empty cells out', () => {
    const read = rowReader(['姓名', '证件号', '备注'], { fullName: '姓名', nationalId: '证件号' });
    expect(read([' 王丽 ', '', '不读'])).toEqual({ fullName: '王丽' });
  });
});
