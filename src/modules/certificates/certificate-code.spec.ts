import { CODE_ALPHABET, CODE_LENGTH, displayCode, newCertificateCode, normaliseCode } from './certificate-code.js';

describe('certificate codes', () => {
  it('are 16 symbols from the unambiguous alphabet, and differ', () => {
    const codes = Array.from({ length: 500 }, () => newCertificateCode());
    for (const code of codes) {
      expect(code).toHaveLength(CODE_LENGTH);
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(CODE_ALPHABET).not.toMatch(/[01IO]/);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
  });

  it('reads a code as typed (case, spaces, dashes) and refuses what cannot be one', () => {
    expect(normaliseCode('abcd-efgh jkmn-pqrs')).toBe('ABCDEFGHJKMNPQRS');
    expect(normaliseCode('short')).toBeNull();
    expect(normaliseCode('ABCD/EFGH/JKMN/PQRS')).toBeNull();
    expect(displayCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
  });
});
