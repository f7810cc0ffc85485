/** Pure rules of the principal reports: the ladder's "since when", and the two certificates (双证) at appointment. */

export interface StageStep {
  stage: string;
  effectiveDate: string;
}

/** When the current stage began: the first record of the latest unbroken run of that stage; null without a record of it. */
export function stageSince(history: StageStep[], current: string | null): string | null {
  if (!current) return null;
  let since: string | null = null;
  for (let i = history.length - 1; i >= 0 && history[i]!.stage === current; i--) since = history[i]!.effectiveDate;
  return since;
}

export const TWO_CERTIFICATE_KINDS = ['teacher_qualification', 'principal_training'] as const;
export type TwoCertificateKind = (typeof TWO_CERTIFICATE_KINDS)[number];

export interface CertificateFact {
  kind: string;
  issuedOn: string;
  expiresOn: string | null;
}

/** `at_appointment`: valid on the appointment day; `late`: obtained afterwards and valid today; `missing`: not valid today either. */
export type CertificateStatus = 'at_appointment' | 'late' | 'missing';

export interface CertificateStanding {
  status: CertificateStatus;
  /** The certificate that counts: the one valid at appointment, or the earliest one valid today. */
  issuedOn: string | null;
  heldNow: boolean;
}

const validOn = (c: CertificateFact, day: string) => c.issuedOn <= day && (c.expiresOn === null || c.expiresOn >= day);

export function certificateStanding(certificates: CertificateFact[], kind: TwoCertificateKind, appointedOn: string, today: string): CertificateStanding {
  const mine = certificates.filter((c) => c.kind === kind).sort((a, b) => a.issuedOn.localeCompare(b.issuedOn));
  const atAppointment = mine.find((c) => validOn(c, appointedOn));
  const now = mine.find((c) => validOn(c, today));
  if (atAppointment) return { status: 'at_appointment', issuedOn: atAppointment.issuedOn, heldNow: !!now };
  if (now) return { status: 'late', issuedOn: now.issuedOn, heldNow: true };
  return { status: 'missing', issuedOn: null, heldNow: false };
}

/** A share in percent with one decimal; null when nobody is counted. */
export function share(count: number, total: number): number | null {
  return total === 0 ? null : Math.round((count / total) * 1000) / 10;
}
