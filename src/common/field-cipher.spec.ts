import { randomBytes } from 'node:crypto';
import { FieldCipher } from './field-cipher.js';

describe('FieldCipher', () => {
  const key = randomBytes(32);
  const cipher = new FieldCipher({ encryptionKeys: new Map([['k1', key]]), currentKeyId: 'k1' });

  it('round-trips and never stores the plain text', () => {
    const stored = cipher.encrypt('11010519491231002X');
    expect(stored).not.toContain('1949');
    expect(cipher.decrypt(stored)).toBe('11010519491231002X');
    expect(cipher.encrypt('x')).not.toBe(cipher.encrypt('x'));
  });

  it('still reads values written under an older key after rotation', () => {
    const stored = cipher.encrypt('13800000000');
    const rotated = new FieldCipher({ encryptionKeys: new Map([['k1', key], ['k2', randomBytes(32)]]), currentKeyId: 'k2' });
    expect(rotated.decrypt(stored)).toBe('13800000000');
    expect(rotated.encrypt('a').startsWith('k2:')).toBe(true);
  });

  it('detects tampering', () => {
    const stored = cipher.encrypt('secret');
    const tampered = stored.slice(0, -4) + (stored.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => cipher.decrypt(tampered)).toThrow();
  });

  it('hashes equal values equally', () => {
    expect(cipher.lookupHash('a')).toBe(cipher.lookupHash('a'));
    expect(cipher.lookupHash('a')).not.toBe(cipher.lookupHash('b'));
  });
});
