import { ValidationFailed } from '../../common/errors.js';
import { PersonExists, StaleRecord } from './people-errors.js';
import { formErrors, formInput, formValues } from './people-views.js';

describe('people forms', () => {
  it('turns a submitted form into the API body: blanks absent, checkboxes booleans, the post nested under employment', () => {
    const input = formInput('create', {
      fullName: ' 周新 ', nationalId: '110105199912314112', gender: '', birthDate: '', phone: '', educationLevel: 'bachelor',
      preschoolMajor: 'on', hireDate: '2021-08-20', orgUnitId: 'k1', post: 'teacher', startDate: '2021-09-01', _csrf: 'x',
    });
    expect(input).toEqual({
      fullName: '周新', nationalId: '110105199912314112', educationLevel: 'bachelor', preschoolMajor: true, hireDate: '2021-08-20',
      employment: { orgUnitId: 'k1', post: 'teacher', startDate: '2021-09-01' },
    });
    expect(formInput('edit', { version: '3', fullName: '王' })).toEqual({ version: 3, fullName: '王', preschoolMajor: false });
    expect(formInput('edit', { version: 'three' })).toMatchObject({ version: 'three' });
  });

  it('keeps every field of the form for showing it again', () => {
    expect(formValues('title', { title: 'first', approvingBody: '青浦区教育局' })).toEqual({
      title: 'first', effectiveDate: '', approvingBody: '青浦区教育局', isCorrection: false, correctionReason: '',
    });
  });

  it('puts each problem next to its field in the reader\'s language, "required" when the field was left blank', () => {
    const error = new ValidationFailed([
      { field: 'title', code: 'TITLE_NOT_HIGHER', message: '' },
      { field: 'employment.orgUnitId', code: 'UNKNOWN_KINDERGARTEN', message: '' },
      { field: 'fullName', code: 'isString', message: '' },
      { field: 'fullName', code: 'isLength', message: '' },
      { field: 'phone', code: 'someNewRule', message: '' },
    ]);
    const errors = formErrors(error, 'zh-CN', { title: 'second', phone: 'x', employment: { orgUnitId: 'k9' } });
    expect(errors).toEqual({
      title: expect.stringContaining('不高于现职称'),
      orgUnitId: '请选择您管理范围内的幼儿园',
      fullName: '此项必填',
      phone: '请检查此项',
    });
    expect(formErrors(new PersonExists('p1'), 'en', {})).toEqual({ nationalId: 'A person with this ID number is already on record' });
    expect(formErrors(new StaleRecord(2), 'zh-CN', {})).toEqual({ _form: '记录已被他人修改，请刷新后重试' });
    expect(formErrors(new Error('boom'), 'zh-CN', {})).toBeNull();
  });
});
