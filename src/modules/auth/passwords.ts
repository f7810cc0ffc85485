import argon2 from 'argon2';

/** argon2id with the library's recommended cost. */
export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/** At least 8 characters with a letter and a digit. */
export function isAcceptablePassword(plain: string): boolean {
  return plain.length >= 8 && plain.length <= 128 && /[A-Za-z]/.test(plain) && /\d/.test(plain);
}
