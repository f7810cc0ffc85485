import type { Certificate } from './certificate.entity.js';
import { amountText } from './certificate-renderer.js';
import { displayCode } from './certificate-code.js';
import { shanghaiDate } from '../../common/dates.js';

export type VerifiedStatus = 'valid' | 'revoked' | 'superseded';

/** What the public verification page may say: what the certificate states and its status; nothing else (no ids, kindergarten or reason). */
export interface Verification {
  code: string;
  displayCode: string;
  status: VerifiedStatus;
  fullName: string;
  courseTitle: string;
  hours: string;
  credits: string;
  completedOn: string;
  issuer: string;
  partial: boolean;
  revokedOn: string | null;
}

export function verification(certificate: Certificate): Verification {
  const s = certificate.snapshot;
  const status: VerifiedStatus = certificate.status === 'revoked' ? 'revoked' : certificate.status === 'superseded' ? 'superseded' : 'valid';
  return {
    code: certificate.code, displayCode: displayCode(certificate.code), status,
    fullName: s.fullName, courseTitle: s.courseTitle, hours: amountText(s.hours), credits: amountText(s.credits),
    completedOn: s.completedOn, issuer: s.issuer, partial: s.partial,
    revokedOn: certificate.revokedAt ? shanghaiDate(certificate.revokedAt) : null,
  };
}
