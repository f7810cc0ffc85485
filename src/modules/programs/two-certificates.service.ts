import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { TargetsService } from '../titles/targets.service.js';
import { certificateStanding, share, type CertificateStanding } from './principal-rules.js';
import { PrincipalScope } from './principal-scope.js';
import { TwoCertificatesQuery, type AppointedPrincipal } from './two-certificates.query.js';

/** The measure of the district's 双证 target; without a definition the seeds' 100% applies. */
const TARGET_MEASURE = 'principals_with_dual_certificates';
const DEFAULT_THRESHOLD = 100;

export interface TwoCertificatesRow {
  personId: string;
  fullName: string;
  post: string;
  kindergarten: { id: string; code: string; name: string };
  appointedOn: string;
  teacherQualification: CertificateStanding;
  principalTraining: CertificateStanding;
  bothAtAppointment: boolean;
  bothNow: boolean;
}

export interface Figure {
  count: number;
  /** Percent with one decimal; null when nobody is counted. */
  share: number | null;
  met: boolean;
}

export interface TwoCertificatesReport {
  asOf: string;
  orgUnit: { id: string; name: string } | null;
  target: { code: string | null; threshold: number; deadline: string | null };
  total: number;
  /** Held both certificates on the day of appointment (Chaoyang: before taking the post). */
  heldAtAppointment: Figure;
  /** Hold both today, counting certificates obtained after appointment. */
  heldNow: Figure;
  /** Everyone appointed without both: what was missing, and whether it was obtained since. */
  gaps: TwoCertificatesRow[];
}

/**
 * 双证: whether each serving principal and vice principal held a teacher qualification certificate and a
 * principal training certificate when appointed (issued on or before the first day in the post), and now.
 */
@Injectable()
export class TwoCertificatesService {
  constructor(private readonly query: TwoCertificatesQuery, private readonly scope: PrincipalScope, private readonly targets: TargetsService) {}

  async report(access: AccessContext, filter: { orgUnit?: string }): Promise<TwoCertificatesReport> {
    const asOf = shanghaiDate();
    const { unit, paths, districtId } = await this.scope.resolve(access, filter.orgUnit);
    const [principals, target] = await Promise.all([this.query.principals(paths, asOf), this.target(districtId)]);
    const rows = principals.map((p) => this.row(p, asOf));
    const figure = (count: number): Figure => {
      const value = share(count, rows.length);
      return { count, share: value, met: value === null || value >= target.threshold };
    };
    return {
      asOf, orgUnit: unit ? { id: unit.id, name: unit.name } : null, target, total: rows.length,
      heldAtAppointment: figure(rows.filter((r) => r.bothAtAppointment).length),
      heldNow: figure(rows.filter((r) => r.bothNow).length),
      gaps: rows.filter((r) => !r.bothAtAppointment),
    };
  }

  private row(p: AppointedPrincipal, today: string): TwoCertificatesRow {
    const teacherQualification = certificateStanding(p.certificates, 'teacher_qualification', p.appointedOn, today);
    const principalTraining = certificateStanding(p.certificates, 'principal_training', p.appointedOn, today);
    return {
      personId: p.personId, fullName: p.fullName, post: p.post,
      kindergarten: { id: p.kindergartenId, code: p.kindergartenCode, name: p.kindergartenName },
      appointedOn: p.appointedOn, teacherQualification, principalTraining,
      bothAtAppointment: teacherQualification.status === 'at_appointment' && principalTraining.status === 'at_appointment',
      bothNow: teacherQualification.heldNow && principalTraining.heldNow,
    };
  }

  private async target(districtId: string | null): Promise<TwoCertificatesReport['target']> {
    const found = (await this.targets.definitions(districtId)).find((t) => t.measure === TARGET_MEASURE && !t.archived);
    return found ? { code: found.code, threshold: Number(found.threshold), deadline: found.deadline } : { code: null, threshold: DEFAULT_THRESHOLD, deadline: null };
  }
}
