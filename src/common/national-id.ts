const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** GB 11643-1999 check character for the first 17 digits of a resident ID number. */
export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export interface NationalIdParts {
  birthDate: string;
  gender: 'female' | 'male';
}

/** Validates format, birth date and checksum; answers null when the number is not a valid 18-character ID. */
export function parseNationalId(raw: string): NationalIdParts | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  if (nationalIdCheckChar(id.slice(0, 17)) !== id[17]) return null;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) return null;
  return { birthDate: id.slice(6, 10) + '-' + id.slice(10, 12) + '-' + id.slice(12, 14), gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

export function normaliseNationalId(raw: string): string {
  return raw.trim().toUpperCase();
}

export function maskNationalId(id: string): string {
  return `${id.slice(0, 3)}***********${id.slice(14)}`;
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
