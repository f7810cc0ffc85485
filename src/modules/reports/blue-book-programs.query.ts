import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { YearWindow } from './blue-book-activity.query.js';

/** One tier's figures for the year (counts; credits in 学分). */
export interface TierCounts {
  programs: number;
  applications: number;
  selected: number;
  activeMembers: number;
  completed: number;
  credits: number;
  outputs: number;
}

export interface TierRow extends TierCounts {
  tier: string;
  /** A custom tier's names, from its latest program; null for the built-in tiers. */
  nameZh: string | null;
  nameEn: string | null;
  outputsByKind: Map<string, number>;
}

export interface ContestRow {
  id: string;
  nameZh: string;
  nameEn: string;
  startsOn: string;
  published: boolean;
  entries: number;
  awards: Map<string, number>;
}

export interface LectureCounts {
  series: number;
  sessions: number;
  enrolments: number;
  completions: number;
}

const num = (value: unknown) => Number(value ?? 0);
const COUNT_KEYS: ReadonlyArray<keyof TierCounts> = ['programs', 'applications', 'selected', 'activeMembers', 'completed', 'credits', 'outputs'];

/**
 * Talent programs, contests and the principal lecture series in the district during the year, dated
 * like the rest of the book: only what the record dates (cycles, joining and leaving days, the
 * moments applications arrived, selections closed, members were assessed and outputs accepted) is
 * read as of the book's date; a program's status is today's. Drafts never count.
 */
@Injectable()
export class BlueBookProgramsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Per tier: programs whose cycle overlaps the window; applications received in it (a person
   * applying twice to one program counts once); people selected (memberships the round's close
   * created from an application in the window); members active on the book's date (joined, not
   * left, not assessed finally, cycle running); members completed in the window and the credits
   * their completion recorded (less reversals by the book's date); outputs accepted in the window.
   */
  async tiers(districtId: string, w: YearWindow): Promise<TierRow[]> {
    const cohort = `p.district_id = $1 AND p.kind = 'cohort' AND p.status <> 'draft'`;
    const [programs, applications, selected, active, completed, outputs, names] = await Promise.all([
      this.db.query(`SELECT p.tier, count(*) AS n FROM program p WHERE ${cohort} AND p.starts_on <= $3 AND p.ends_on >= $2 GROUP BY p.tier`,
        [districtId, w.fromDate, w.toDate]),
      this.db.query(
        `SELECT p.tier, count(DISTINCT (a.program_id, a.person_id)) AS n FROM program_application a JOIN program p ON p.id = a.program_id
          WHERE ${cohort} AND a.created_at >= $2 AND a.created_at < $3 GROUP BY p.tier`, [districtId, w.fromInstant, w.untilInstant]),
      this.db.query(
        `SELECT p.tier, count(*) AS n FROM program_member m JOIN program p ON p.id = m.program_id
          WHERE ${cohort} AND m.application_id IS NOT NULL AND m.created_at >= $2 AND m.created_at < $3 GROUP BY p.tier`,
        [districtId, w.fromInstant, w.untilInstant]),
      this.db.query(
        `SELECT p.tier, count(*) AS n FROM program_member m JOIN program p ON p.id = m.program_id
          WHERE ${cohort} AND p.starts_on <= $2 AND p.ends_on >= $2 AND m.created_at < $3
            AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on > $2) AND (m.final_at IS NULL OR m.final_at >= $3)
          GROUP BY p.tier`, [districtId, w.toDate, w.untilInstant]),
      this.db.query(
        `SELECT p.tier, count(*) AS n, COALESCE(sum(ce.credits), 0) + COALESCE(sum(r.credits), 0) AS credits
           FROM program_member m JOIN program p ON p.id = m.program_id
           LEFT JOIN credit_entry ce ON ce.id = m.credit_entry_id
           LEFT JOIN credit_entry r ON r.reverses_entry_id = ce.id AND r.recorded_at < $3
          WHERE ${cohort} AND m.status = 'completed' AND m.final_at >= $2 AND m.final_at < $3 GROUP BY p.tier`,
        [districtId, w.fromInstant, w.untilInstant]),
      this.db.query(
        `SELECT p.tier, o.kind, count(*) AS n FROM program_output o JOIN program p ON p.id = o.program_id
          WHERE ${cohort} AND o.status = 'accepted' AND o.reviewed_at >= $2 AND o.reviewed_at < $3 GROUP BY p.tier, o.kind`,
        [districtId, w.fromInstant, w.untilInstant]),
      this.db.query(
        `SELECT DISTINCT ON (p.tier) p.tier, p.tier_name_zh, p.tier_name_en FROM program p
          WHERE ${cohort} AND p.tier_name_zh IS NOT NULL ORDER BY p.tier, p.created_at DESC`, [districtId]),
    ]) as Array<Array<Record<string, string>>>;
    const rows = new Map<string, TierRow>();
    const row = (tier: string): TierRow => {
      let found = rows.get(tier);
      if (!found) {
        found = { tier, nameZh: null, nameEn: null, programs: 0, applications: 0, selected: 0, activeMembers: 0, completed: 0, credits: 0, outputs: 0, outputsByKind: new Map() };
        rows.set(tier, found);
      }
      return found;
    };
    const take = (list: Array<Record<string, string>>, key: keyof TierCounts) => list.forEach((r) => { row(r.tier)[key] = num(r.n); });
    take(programs, 'programs');
    take(applications, 'applications');
    take(selected, 'selected');
    take(active, 'activeMembers');
    take(completed, 'completed');
    for (const r of completed) row(r.tier).credits = num(r.credits);
    for (const r of outputs) {
      const tier = row(r.tier);
      tier.outputsByKind.set(r.kind, num(r.n));
      tier.outputs += num(r.n);
    }
    for (const r of names) {
      if (!rows.has(r.tier)) continue;
      Object.assign(row(r.tier), { nameZh: r.tier_name_zh, nameEn: r.tier_name_en });
    }
    return [...rows.values()].filter((r) => COUNT_KEYS.some((k) => r[k] !== 0));
  }

  /**
   * Contests held: not drafts, their dates overlapping the window. Entries: not withdrawn, made by
   * the book's date. Awards only once the results are published (judged by the book's date).
   */
  async contests(districtId: string, w: YearWindow): Promise<ContestRow[]> {
    const rows: Array<Record<string, string>> = await this.db.query(
      `SELECT p.id, p.name_zh, p.name_en, to_char(p.starts_on, 'YYYY-MM-DD') AS starts_on, p.status = 'closed' AS published,
              (SELECT count(*) FROM contest_entry e WHERE e.program_id = p.id AND e.status <> 'withdrawn' AND e.created_at < $4) AS entries,
              (SELECT json_object_agg(a.award, a.n) FROM (
                 SELECT e.award, count(*) AS n FROM contest_entry e
                  WHERE e.program_id = p.id AND p.status = 'closed' AND e.status = 'judged' AND e.judged_at < $4 GROUP BY e.award) a) AS awards
         FROM program p
        WHERE p.district_id = $1 AND p.kind = 'contest' AND p.status <> 'draft' AND p.starts_on <= $3 AND p.ends_on >= $2
        ORDER BY p.starts_on, p.name_zh, p.id`, [districtId, w.fromDate, w.toDate, w.untilInstant]);
    return rows.map((r) => ({
      id: r.id, nameZh: r.name_zh, nameEn: r.name_en, startsOn: r.starts_on, published: r.published as unknown as boolean, entries: num(r.entries),
      awards: new Map(Object.entries((r.awards ?? {}) as unknown as Record<string, number>).map(([k, v]) => [k, num(v)])),
    }));
  }

  /**
   * 示范园园长大课堂: sessions of the district's filed series that started in the window (their
   * offering not cancelled); the seats taken in them; attendance = completions recorded by the
   * book's date and not reopened then.
   */
  async lectures(districtId: string, w: YearWindow): Promise<LectureCounts> {
    const [row] = await this.db.query(
      `WITH held AS (
         SELECT s.series_id, s.offering_id FROM lecture_session s JOIN lecture_series ls ON ls.id = s.series_id
           LEFT JOIN offering o ON o.id = s.offering_id
          WHERE ls.district_id = $1 AND ls.status = 'filed' AND ls.filed_at < $3 AND s.starts_at >= $2 AND s.starts_at < $3
            AND (o.id IS NULL OR o.status <> 'cancelled'))
       SELECT (SELECT count(DISTINCT series_id) FROM held) AS series, (SELECT count(*) FROM held) AS sessions,
              (SELECT count(*) FROM enrollment e WHERE e.offering_id IN (SELECT offering_id FROM held)
                  AND e.status IN ('enrolled','completed','no_show')) AS enrolments,
              (SELECT count(*) FROM completion c WHERE c.offering_id IN (SELECT offering_id FROM held) AND c.completed_at < $3
                  AND (c.reopened_at IS NULL OR c.reopened_at >= $3)) AS completions`,
      [districtId, w.fromInstant, w.untilInstant]);
    return { series: num(row.series), sessions: num(row.sessions), enrolments: num(row.enrolments), completions: num(row.completions) };
  }
}
