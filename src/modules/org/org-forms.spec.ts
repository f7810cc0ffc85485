import { ValidationFailed } from '../../common/errors.js';
import { CreateOrgUnitDto } from './org.dto.js';
import { fieldErrors, formInputs, membersFromForm, requestFromForm, typedValues, unitFormFields, validated, valuesOf } from './org-forms.js';

describe('org forms', () => {
  it('shows kindergarten inputs only for kindergartens', () => {
    expect(unitFormFields('town', 'create')).toEqual(['kind', 'parentId', 'code', 'name', 'nameEn']);
    expect(unitFormFields('kindergarten', 'update')).toEqual(expect.arrayContaining(['version', 'grade', 'openingYear']));
  });

  it('turns form strings into the API request: numbers, booleans, blanks left out on create and cleared on update', () => {
    const values = typedValues({ code: ' K1 ', name: '', inclusive: 'true', foundedYear: '1990', nurseryClasses: 'two', address: '', extra: 'x' },
      ['code', 'name', 'inclusive', 'foundedYear', 'nurseryClasses', 'address']);
    expect(requestFromForm(values, 'create')).toEqual({ code: ' K1 ', inclusive: true, foundedYear: 1990, nurseryClasses: 'two' });
    expect(requestFromForm(values, 'update')).toEqual({ code: ' K1 ', name: '', inclusive: true, foundedYear: 1990, nurseryClasses: 'two', address: null });
    expect(valuesOf({ code: 'K1', foundedYear: null, inclusive: false }, ['code', 'foundedYear', 'inclusive'])).toEqual({ code: 'K1', foundedYear: '', inclusive: 'false' });
  });

  it('reads ticked members and leads; a lead is a member', () => {
    expect(membersFromForm({ member: ['a', 'b'], lead: 'c' }).members).toEqual([
      { kindergartenId: 'a', isLead: false }, { kindergartenId: 'b', isLead: false }, { kindergartenId: 'c', isLead: true },
    ]);
    expect(membersFromForm({}).members).toEqual([]);
  });

  it('validates like the API and adds the kindergarten rules, every bad field at once', async () => {
    const request = requestFromForm({ kind: 'kindergarten', parentId: '', code: 'K1', name: '园', status: 'planned', nurseryClasses: 'x' }, 'create');
    const error = await validated(CreateOrgUnitDto, request, 'kindergarten').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    const fields = new Set((error as ValidationFailed).problems.map((p) => p.field));
    expect([...fields].sort()).toEqual(['grade', 'inclusive', 'nurseryClasses', 'openingYear', 'ownership', 'parentId']);
  });

  it('says "required" for a blank required field and translates the rest, one message per field', () => {
    const problems = [
      { field: 'name', code: 'isLength', message: '' },
      { field: 'name', code: 'isString', message: '' },
      { field: 'code', code: 'ORG_CODE_TAKEN', message: '' },
      { field: 'members.2.kindergartenId', code: 'made_up', message: '' },
    ];
    expect(fieldErrors(problems, { name: ' ', code: 'K1' }, 'zh-CN')).toEqual({
      name: '此项为必填项', code: '该代码已被其他机构使用', members: '请输入有效的值',
    });
    expect(fieldErrors(problems, { name: ' ', code: 'K1' }, 'en').code).toBe('Another unit already uses this code');
  });

  it('describes each input with its value, error and options', () => {
    const inputs = formInputs(['kind', 'code', 'grade', 'version'], { code: 'K1', grade: 'first' }, { code: 'taken' });
    expect(inputs.map((i) => i.name)).toEqual(['code', 'grade']);
    expect(inputs[0]).toMatchObject({ value: 'K1', error: 'taken', options: null, type: 'text' });
    expect(inputs[1].options!.find((o) => o.selected)).toEqual({ value: 'first', label: 'org.grade.first', selected: true });
  });
});
