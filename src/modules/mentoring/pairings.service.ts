import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Forbidden, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { MatchingQuery, type StaffProfile } from './matching.query.js';
import { MentorLink, MentorPairing, PairingApproval, PairingConsent } from './mentoring.entities.js';
import {
  alreadyMentor, checkProposal, menteeMentorLimit, mentorCapacityFull, pairingWithSelf, selfPairingField, involvedKindergartens,
  type CheckedProposal, type ProposalInput,
} from './pairing-rules.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import { PairingsQuery } from './pairings.query.js';

const MENTOR_POSTS = ['teacher', 'principal', 'vice_principal'];

/** Proposals (by an admin) and mutual requests (by the people named), with the limits checked under a lock. */
@Injectable()
export class PairingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: PairingsDirectory,
    private readonly matching: MatchingQuery,
    private readonly query: PairingsQuery,
    private readonly audit: AuditService,
  ) {}

  async propose(access: AccessContext, input: ProposalInput): Promise<MentorPairing> {
    const { proposal, people } = await this.checked(input);
    const mentee = people.get(proposal.menteePersonId)!;
    if (!access.canAt('mentoring.manage', mentee.kindergartenPath)) throw new NotFound('person', proposal.menteePersonId);
    return this.create(access, proposal, people, 'admin');
  }

  async request(access: AccessContext, input: ProposalInput): Promise<MentorPairing> {
    const named = [input.menteePersonId, ...input.mentors.map((m) => m.personId)];
    if (!access.personId || !named.includes(access.personId)) {
      throw new Forbidden('PAIRING_REQUEST_NOT_NAMED', 'Only the mentee or one of the mentors may request a pairing');
    }
    const { proposal, people } = await this.checked(input);
    return this.create(access, proposal, people, 'mutual');
  }

  /** Shape, people and self-pairing checks, all before anything is written. */
  private async checked(input: ProposalInput): Promise<{ proposal: CheckedProposal; people: Map<string, StaffProfile> }> {
    const today = shanghaiDate();
    const { proposal, problems } = checkProposal(input, today);
    const ids = [proposal.menteePersonId, ...proposal.mentors.map((m) => m.personId)];
    const people = await this.matching.profiles([...new Set(ids)], today);
    problems.push(...this.peopleProblems(proposal, people));
    if (proposal.baseKindergartenId) {
      const [base] = await this.dataSource.query(`SELECT 1 FROM org_unit WHERE id = $1 AND kind = 'kindergarten'`, [proposal.baseKindergartenId]);
      if (!base) problems.push({ field: 'baseKindergartenId', code: 'unknown', message: 'no such kindergarten' });
    }
    if (problems.length) throw new ValidationFailed(problems);
    const self = selfPairingField(proposal.menteePersonId, proposal.mentors);
    if (self) throw pairingWithSelf(self);
    return { proposal, people };
  }

  private peopleProblems(proposal: CheckedProposal, people: Map<string, StaffProfile>): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const mentee = people.get(proposal.menteePersonId);
    if (!mentee) problems.push({ field: 'menteePersonId', code: 'unknown', message: 'no such person' });
    else if (!mentee.kindergartenId) problems.push({ field: 'menteePersonId', code: 'not_staff', message: 'the mentee works in no kindergarten' });
    proposal.mentors.forEach((m, i) => {
      const mentor = people.get(m.personId);
      if (!mentor) problems.push({ field: `mentors[${i}].personId`, code: 'unknown', message: 'no such person' });
      else if (!mentor.kindergartenId || !MENTOR_POSTS.includes(mentor.post ?? '')) {
        problems.push({ field: `mentors[${i}].personId`, code: 'not_staff', message: 'a mentor must be a teacher or principal working in a kindergarten' });
      }
    });
    return problems;
  }

  private async create(access: AccessContext, p: CheckedProposal, people: Map<string, StaffProfile>, source: 'admin' | 'mutual'): Promise<MentorPairing> {
    const mentee = people.get(p.menteePersonId)!;
    const mentors = p.mentors.map((m) => ({ ...m, profile: people.get(m.personId)! }));
    const involved = involvedKindergartens(mentee.kindergartenId!, mentors.map((m) => m.profile.kindergartenId), p.baseKindergartenId);
    // An admin's proposal inside their own single kindergarten needs nobody else's approval.
    const activeAtOnce = source === 'admin' && involved.length === 1;
    return inTransaction(this.dataSource, async (m) => {
      await this.query.lockPeople(m, [mentee.personId, ...mentors.map((x) => x.personId)]);
      await this.checkLimits(m, mentee, mentors.map((x) => x.profile), null);
      const pairing = await m.save(m.create(MentorPairing, {
        districtId: mentee.districtId, kind: p.kind, status: activeAtOnce ? 'active' : 'proposed', source,
        menteePersonId: mentee.personId, menteeKindergartenId: mentee.kindergartenId!, baseKindergartenId: p.baseKindergartenId,
        startsOn: p.startsOn, endsOn: p.endsOn, goals: p.goals, termPlans: p.termPlans, proposedBy: access.userId,
        activatedAt: activeAtOnce ? new Date() : null,
      }));
      await m.insert(MentorLink, mentors.map((x) => ({
        pairingId: pairing.id, mentorPersonId: x.personId, districtId: x.profile.districtId, mentorKindergartenId: x.profile.kindergartenId, role: x.role,
      })));
      if (source === 'mutual') await m.insert(PairingConsent, { pairingId: pairing.id, personId: access.personId! });
      if (activeAtOnce) await m.insert(PairingApproval, { pairingId: pairing.id, kindergartenId: involved[0], decision: 'approved', decidedBy: access.userId });
      await this.audit.record(access.userId, source === 'admin' ? 'mentoring.pairing.propose' : 'mentoring.pairing.request', 'mentor_pairing', pairing.id,
        pairing.districtId, null, { ...pairing, mentors: p.mentors }, m);
      return pairing;
    });
  }

  /**
   * The district's limits over open pairings; callers hold the people's locks. `pairingId` is the
   * pairing being activated, which already holds its own places.
   */
  async checkLimits(m: EntityManager, mentee: { personId: string; districtId: string }, mentors: { personId: string; fullName: string; districtId: string }[], pairingId: string | null): Promise<void> {
    const rule = await this.directory.ruleFor(mentee.districtId, m);
    const existing = await this.query.menteeMentorIds(m, mentee.personId, pairingId);
    const repeated = mentors.find((x) => existing.includes(x.personId));
    if (repeated) throw alreadyMentor(repeated.personId, repeated.fullName);
    if (existing.length + mentors.length > rule.maxMentorsPerMentee) throw menteeMentorLimit(rule.maxMentorsPerMentee, existing.length);
    const loads = await this.query.mentorLoads(m, mentors.map((x) => x.personId), pairingId);
    for (const mentor of mentors) {
      const max = mentor.districtId === mentee.districtId ? rule.maxMenteesPerMentor : (await this.directory.ruleFor(mentor.districtId, m)).maxMenteesPerMentor;
      if ((loads.get(mentor.personId) ?? 0) + 1 > max) throw mentorCapacityFull(mentor.personId, mentor.fullName, max);
    }
  }

  /** The pairing's people as checkLimits needs them, read inside the transaction. */
  async linkedPeople(m: EntityManager, pairing: MentorPairing, links: MentorLink[]) {
    const names: { id: string; full_name: string }[] = await m.query(`SELECT id, full_name FROM person WHERE id = ANY($1::uuid[])`, [links.map((l) => l.mentorPersonId)]);
    const byId = new Map(names.map((n) => [n.id, n.full_name]));
    return {
      mentee: { personId: pairing.menteePersonId, districtId: pairing.districtId },
      mentors: links.map((l) => ({ personId: l.mentorPersonId, fullName: byId.get(l.mentorPersonId) ?? '', districtId: l.districtId })),
    };
  }
}
