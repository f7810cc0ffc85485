import { randomBytes } from 'node:crypto';

/** 32 symbols that cannot be mistaken for one another when read aloud or typed: no 0/O, no 1/I. */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 16;

/** A random verification code (80 bits: guessing one is hopeless). */
export function newCertificateCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  // 256 is a multiple of 32, so taking the low five bits is unbiased.
  return [...bytes].map((b) => CODE_ALPHABET[b & 31]).join('');
}

/** A code as someone typed it (lower case, spaces, dashes) in its stored form, or null when it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z0-9]{12,32}$/.test(code) ? code : null;
}

/** Groups of four for reading: ABCD-EFGH-JKLM-NPQR. */
export function displayCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}
