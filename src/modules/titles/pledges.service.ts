import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { PledgesQuery, type PledgeStaffRow } from './pledges.query.js';

export interface PersonYearStatus {
  personId: string;
  fullName: string;
  pledged: boolean;
  signedAt: Date | null;
  ethicsCredits: number;
  ethicsMinimum: number;
  studyDone: boolean;
}

export interface KindergartenYearStatus {
  kindergartenId: string;
  kindergartenName: string;
  staff: number;
  pledged: number;
  studyDone: number;
  /** Staff missing the pledge or the year's ethics study. */
  missing: PersonYearStatus[];
}

export const currentYear = () => Number(shanghaiDate().slice(0, 4));

/**
 * Integrity pledges (师德承诺, one a person a year) and the yearly ethics study: this year's
 * ethics-category credits in the ledger against the region's minimum (ethics_study_rule). The
 * requirement schemes count ethics credits per five-year cycle, not per year, so this is its own rule.
 */
@Injectable()
export class PledgesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: PledgesQuery,
    private readonly people: PeopleDirectory,
  ) {}

  /** The caller signs this year's pledge; signing again answers the first signature. */
  async sign(access: AccessContext, year: number): Promise<{ year: number; signedAt: Date }> {
    const person = access.personId ? await this.people.personOrgPath(access.personId) : null;
    if (!person) throw new NotFound('person');
    if (year !== currentYear()) throw ValidationFailed.field('year', 'YEAR_NOT_CURRENT', `Only this year's pledge (${currentYear()}) can be signed`);
    await this.db.query(
      `INSERT INTO integrity_pledge (person_id, year, district_id) VALUES ($1, $2, $3) ON CONFLICT (person_id, year) DO NOTHING`,
      [access.personId, year, person.districtId]);
    const [row] = await this.db.query(`SELECT signed_at FROM integrity_pledge WHERE person_id = $1 AND year = $2`, [access.personId, year]);
    return { year, signedAt: row.signed_at };
  }

  /** The caller's own pledge and ethics study for the year. */
  async mine(access: AccessContext, year = currentYear()): Promise<PersonYearStatus & { year: number }> {
    const person = access.personId ? await this.people.personOrgPath(access.personId) : null;
    if (!person) throw new NotFound('person');
    const rows = await this.query.staff([person.path], year, { personId: access.personId! });
    const [status] = await this.statuses(rows, year);
    if (status) return { year, ...status };
    // Staff without a kindergarten (district staff) still sign; their study is judged by the default rule.
    const [pledge] = await this.db.query(`SELECT signed_at FROM integrity_pledge WHERE person_id = $1 AND year = $2`, [access.personId, year]);
    const minimum = this.minimumFor(await this.query.minimumRules(year), person.path);
    return { year, personId: access.personId!, fullName: person.fullName, pledged: !!pledge, signedAt: pledge?.signed_at ?? null, ethicsCredits: 0, ethicsMinimum: minimum, studyDone: minimum === 0 };
  }

  /** Per kindergarten under the caller's people.read scope: pledges signed and ethics study done this year, with who is missing. */
  async overview(access: AccessContext, year = currentYear(), kindergartenId?: string): Promise<{ year: number; kindergartens: KindergartenYearStatus[] }> {
    const rows = await this.query.staff(access.scopePaths('people.read'), year, { kindergartenId });
    const statuses = await this.statuses(rows, year);
    const byKindergarten = new Map<string, KindergartenYearStatus>();
    rows.forEach((row, i) => {
      const status = statuses[i];
      const k = byKindergarten.get(row.kindergartenId)
        ?? { kindergartenId: row.kindergartenId, kindergartenName: row.kindergartenName, staff: 0, pledged: 0, studyDone: 0, missing: [] };
      k.staff += 1;
      if (status.pledged) k.pledged += 1;
      if (status.studyDone) k.studyDone += 1;
      if (!status.pledged || !status.studyDone) k.missing.push(status);
      byKindergarten.set(row.kindergartenId, k);
    });
    return { year, kindergartens: [...byKindergarten.values()] };
  }

  private async statuses(rows: PledgeStaffRow[], year: number): Promise<PersonYearStatus[]> {
    const rules = await this.query.minimumRules(year);
    return rows.map((r) => {
      const minimum = this.minimumFor(rules, r.path);
      return {
        personId: r.personId, fullName: r.fullName, pledged: r.pledged, signedAt: r.signedAt,
        ethicsCredits: r.ethicsCredits, ethicsMinimum: minimum, studyDone: r.ethicsCredits >= minimum,
      };
    });
  }

  private minimumFor(rules: Array<{ path: string | null; depth: number; minCredits: number }>, path: string): number {
    const matching = rules.filter((r) => r.path === null || path.startsWith(r.path)).sort((a, b) => b.depth - a.depth);
    return matching[0]?.minCredits ?? 0;
  }
}
