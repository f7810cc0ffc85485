import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound } from '../../common/errors.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { rankCandidates, stageRank, type ScoreReason } from './matching.js';
import { MatchingQuery } from './matching.query.js';
import { PairingApproval, PairingConsent } from './mentoring.entities.js';
import { involvedKindergartens, missingConsents } from './pairing-rules.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import { PairingsQuery, type PairingListFilter, type PairingRow } from './pairings.query.js';
import { PairingProgressQuery, progressSummary } from './pairing-progress.query.js';
import { termOf } from './terms.js';

/** A listed pairing with this term's progress (active pairings only; null otherwise). */
export type PairingListItem = PairingRow & { progress: ReturnType<typeof progressSummary> };

export interface Suggestion {
  personId: string;
  fullName: string;
  kindergartenName: string | null;
  post: string | null;
  title: string | null;
  teacherStage: string | null;
  openMentees: number;
  maxMentees: number;
  score: number;
  reasons: ScoreReason[];
}

/** What the agreement page and GET /api/mentoring/pairings/:id show, and what the caller may do there. */
@Injectable()
export class PairingReadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: PairingsDirectory,
    private readonly query: PairingsQuery,
    private readonly matching: MatchingQuery,
    private readonly progress: PairingProgressQuery,
  ) {}

  async detail(access: AccessContext, id: string) {
    const ctx = await this.directory.context(access, id);
    const { pairing, links } = ctx;
    const today = shanghaiDate();
    const [row, approvals, consents] = await Promise.all([
      this.query.one(id, today),
      this.dataSource.manager.find(PairingApproval, { where: { pairingId: id } }),
      this.dataSource.manager.find(PairingConsent, { where: { pairingId: id } }),
    ]);
    const involved = involvedKindergartens(pairing.menteeKindergartenId, links.map((l) => l.mentorKindergartenId), pairing.baseKindergartenId);
    const names = await this.query.kindergartenNames(involved);
    const named = [pairing.menteePersonId, ...links.map((l) => l.mentorPersonId)];
    const waitingFor = pairing.source === 'mutual' ? missingConsents(named, consents.map((c) => c.personId)) : [];
    const mineToDecide = involved.filter((k) => access.canAt('mentoring.approve', ctx.kindergartenPaths[k]) && !approvals.some((a) => a.kindergartenId === k));
    const menteeAdmin = access.canAt('mentoring.manage', ctx.kindergartenPaths[pairing.menteeKindergartenId]);
    const isNamed = ctx.as !== 'admin';
    return {
      id: pairing.id, kind: pairing.kind, status: pairing.status, source: pairing.source, version: pairing.version,
      mentee: { personId: pairing.menteePersonId, fullName: row!.menteeName, kindergartenId: pairing.menteeKindergartenId, kindergartenName: row!.menteeKindergartenName },
      mentors: links.map((l) => ({
        personId: l.mentorPersonId, role: l.role, kindergartenId: l.mentorKindergartenId,
        fullName: row!.mentors.find((x) => x.personId === l.mentorPersonId)?.fullName ?? '',
        kindergartenName: l.mentorKindergartenId ? names.get(l.mentorKindergartenId) ?? null : null,
      })).sort((a, b) => Number(b.role === 'lead') - Number(a.role === 'lead')),
      baseKindergarten: pairing.baseKindergartenId ? { id: pairing.baseKindergartenId, name: names.get(pairing.baseKindergartenId) ?? '' } : null,
      startsOn: pairing.startsOn, endsOn: pairing.endsOn, goals: pairing.goals, termPlans: pairing.termPlans,
      proposedAt: pairing.proposedAt, activatedAt: pairing.activatedAt, endedReason: pairing.endedReason,
      finalGrade: pairing.finalGrade, overdueReview: row!.overdueReview,
      approvals: involved.map((k) => {
        const a = approvals.find((x) => x.kindergartenId === k);
        return { kindergartenId: k, kindergartenName: names.get(k) ?? '', decision: a?.decision ?? null, reason: a?.reason ?? null, decidedAt: a?.decidedAt ?? null };
      }),
      consents: consents.map((c) => ({ personId: c.personId, consentedAt: c.consentedAt })),
      waitingForConsent: waitingFor,
      viewer: {
        as: ctx.as, mentorRole: ctx.mentorRole,
        canDecideFor: pairing.status === 'proposed' && !waitingFor.length ? mineToDecide : [],
        canConsent: isNamed && ['proposed', 'active'].includes(pairing.status) && !consents.some((c) => c.personId === access.personId),
        canEdit: menteeAdmin && ['proposed', 'active'].includes(pairing.status),
        canEnd: menteeAdmin && pairing.status === 'active',
        canCancel: pairing.status === 'proposed' && (menteeAdmin || (isNamed && pairing.source === 'mutual')),
      },
    };
  }

  async list(access: AccessContext, filter: PairingListFilter): Promise<{ items: PairingListItem[]; total: number; page: number; pageSize: number }> {
    const today = shanghaiDate();
    const result = await this.query.list(access.scopePaths('mentoring.manage'), filter, today);
    return { items: await this.withProgress(result.items, today), total: result.total, page: filter.page, pageSize: filter.pageSize };
  }

  async mine(access: AccessContext): Promise<{ asMentee: PairingListItem[]; asMentor: PairingListItem[] }> {
    if (!access.personId) return { asMentee: [], asMentor: [] };
    const today = shanghaiDate();
    const rows = await this.withProgress(await this.query.mine(access.personId, today), today);
    return { asMentee: rows.filter((r) => r.as === 'mentee'), asMentor: rows.filter((r) => r.as === 'mentor') };
  }

  /** This term's progress of the active pairings among `rows`, in one query for all of them. */
  private async withProgress<T extends PairingRow>(rows: T[], today: string): Promise<Array<T & { progress: PairingListItem['progress'] }>> {
    const active = rows.filter((r) => r.status === 'active').map((r) => r.id);
    const progress = await this.progress.forTerm(active, termOf(today));
    return rows.map((r) => ({ ...r, progress: progressSummary(progress.get(r.id)) }));
  }

  /** Eligible mentors for a mentee in the admin's scope, best first, each with the reasons for its score. */
  async suggestions(access: AccessContext, menteePersonId: string, limit: number, locale: Locale): Promise<{ mentee: { personId: string; fullName: string }; items: Suggestion[] }> {
    const today = shanghaiDate();
    const mentee = (await this.matching.profiles([menteePersonId], today)).get(menteePersonId);
    if (!mentee || !mentee.kindergartenPath || !access.canAt('mentoring.manage', mentee.kindergartenPath)) throw new NotFound('person', menteePersonId);
    const rule = await this.directory.ruleFor(mentee.districtId);
    const candidates = await this.matching.candidates(mentee, stageRank(mentee), rule.maxMenteesPerMentor, today);
    return {
      mentee: { personId: mentee.personId, fullName: mentee.fullName },
      items: rankCandidates(mentee, candidates, locale, limit).map(({ candidate: c, score, reasons }) => ({
        personId: c.personId, fullName: c.fullName, kindergartenName: c.kindergartenName, post: c.post, title: c.title,
        teacherStage: c.teacherStage, openMentees: c.openMentees, maxMentees: c.maxMentees, score, reasons,
      })),
    };
  }

  /** Staff of the caller's own district found by name, for a mutual request; the caller is left out. */
  async searchColleagues(access: AccessContext, text: string) {
    if (!access.personId) return [];
    const me = (await this.matching.profiles([access.personId], shanghaiDate())).get(access.personId);
    const district = me?.kindergartenPath?.split('/').filter(Boolean).slice(0, 2);
    if (!district || district.length < 2) return [];
    const found = await this.matching.searchStaff([`/${district.join('/')}/`], text);
    return found.filter((p) => p.personId !== access.personId);
  }

  /** Names and kindergartens of people already chosen on a form. */
  async people(personIds: string[]): Promise<Array<{ personId: string; fullName: string; kindergartenName: string | null }>> {
    const profiles = await this.matching.profiles([...new Set(personIds)], shanghaiDate());
    return personIds.flatMap((id) => {
      const p = profiles.get(id);
      return p ? [{ personId: id, fullName: p.fullName, kindergartenName: p.kindergartenName }] : [];
    });
  }

  async searchMentees(access: AccessContext, text: string) {
    return this.matching.searchStaff(access.scopePaths('mentoring.manage'), text);
  }
}
