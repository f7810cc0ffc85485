import { certificateStanding, share, stageSince, type CertificateFact } from './principal-rules.js';

describe('principal report rules', () => {
  it('dates the current stage from the start of its latest unbroken run', () => {
    const history = [
      { stage: 'reserve', effectiveDate: '2015-09-01' }, { stage: 'new', effectiveDate: '2018-08-01' },
      { stage: 'growing', effectiveDate: '2021-09-01' }, { stage: 'growing', effectiveDate: '2022-03-01' },
    ];
    expect(stageSince(history, 'growing')).toBe('2021-09-01');
    expect(stageSince(history, 'mature')).toBeNull();
    expect(stageSince([], 'new')).toBeNull();
    expect(stageSince(history, null)).toBeNull();
  });

  it('tells a certificate held at appointment from one obtained late or missing', () => {
    const certs: CertificateFact[] = [
      { kind: 'teacher_qualification', issuedOn: '2010-06-30', expiresOn: null },
      { kind: 'principal_training', issuedOn: '2021-03-01', expiresOn: null },
    ];
    expect(certificateStanding(certs, 'teacher_qualification', '2020-08-01', '2026-11-22')).toEqual({ status: 'at_appointment', issuedOn: '2010-06-30', heldNow: true });
    expect(certificateStanding(certs, 'principal_training', '2020-08-01', '2026-11-22')).toEqual({ status: 'late', issuedOn: '2021-03-01', heldNow: true });
    // Issued on the appointment day counts as held then.
    expect(certificateStanding(certs, 'principal_training', '2021-03-01', '2026-11-22').status).toBe('at_appointment');
    expect(certificateStanding([], 'principal_training', '2020-08-01', '2026-11-22')).toEqual({ status: 'missing', issuedOn: null, heldNow: false });
  });

  it('counts an expired certificate as held at appointment but not now, and a renewal as late', () => {
    const expired: CertificateFact[] = [{ kind: 'principal_training', issuedOn: '2015-01-01', expiresOn: '2020-12-31' }];
    expect(certificateStanding(expired, 'principal_training', '2018-08-01', '2026-11-22')).toEqual({ status: 'at_appointment', issuedOn: '2015-01-01', heldNow: false });
    expect(certificateStanding(expired, 'principal_training', '2022-08-01', '2026-11-22')).toEqual({ status: 'missing', issuedOn: null, heldNow: false });
    const renewed = [...expired, { kind: 'principal_training', issuedOn: '2023-05-01', expiresOn: null }];
    expect(certificateStanding(renewed, 'principal_training', '2022-08-01', '2026-11-22')).toEqual({ status: 'late', issuedOn: '2023-05-01', heldNow: true });
  });

  it('answers shares with one decimal and none for nobody', () => {
    expect(share(2, 3)).toBe(66.7);
    expect(share(3, 3)).toBe(100);
    expect(share(0, 0)).toBeNull();
  });
});
