import { maskNationalId, nationalIdCheckChar, parseNationalId } from './national-id.js';

describe('national ID', () => {
  const valid = '11010519491231002X';

  it('accepts a valid ID and reads birth date and gender from it', () => {
    expect(parseNationalId(valid)).toEqual({ birthDate: '1949-12-31', gender: 'female' });
    expect(parseNationalId(valid.toLowerCase())).not.toBeNull();
  });

  it('rejects a wrong checksum, a bad date and a wrong length', () => {
    expect(parseNationalId('110105194912310021')).toBeNull();
    const badDate = '1101051949023100' + '2';
    expect(parseNationalId(badDate + nationalIdCheckChar(badDate))).toBeNull();
    expect(parseNationalId('1101051949123100')).toBeNull();
  });

  it('masks all but the region prefix and the last four characters', () => {
    expect(maskNationalId(valid)).toBe('110***********002X');
  });
});
