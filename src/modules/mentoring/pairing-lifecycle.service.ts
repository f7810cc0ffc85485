import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { MentorPairing, PairingApproval, PairingConsent, type TermPlan } from './mentoring.entities.js';
import {
  alreadyDecided, approvalOutcome, awaitingConsent, involvedKindergartens, missingConsents, termPlanProblems, versionConflict, wrongPairingStatus,
} from './pairing-rules.js';
import { PairingsDirectory, type PairingContext } from './pairings-directory.service.js';
import { PairingsQuery } from './pairings.query.js';
import { PairingsService } from './pairings.service.js';

export interface DecisionInput {
  decision: 'approved' | 'rejected';
  reason?: string;
  kindergartenId?: string;
}

export interface AgreementChange {
  version: number;
  goals?: string;
  termPlans?: TermPlan[];
  endsOn?: string;
}

/** Consents, one decision per kindergarten, agreement edits, ending and cancelling; each under the pairing's row lock. */
@Injectable()
export class PairingLifecycleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: PairingsDirectory,
    private readonly pairings: PairingsService,
    private readonly query: PairingsQuery,
    private readonly audit: AuditService,
  ) {}

  /** A named person signs the agreement; for a mutual request the kindergartens decide once everyone has. Repeating changes nothing. */
  async consent(access: AccessContext, id: string): Promise<{ changed: boolean }> {
    return this.locked(access, id, async (m, ctx) => {
      if (ctx.as === 'admin') throw new Forbidden('PAIRING_NOT_NAMED', 'Only the people named in the pairing consent');
      const given = await m.findOne(PairingConsent, { where: { pairingId: id, personId: access.personId! } });
      if (given) return { changed: false };
      if (!['proposed', 'active'].includes(ctx.pairing.status)) throw wrongPairingStatus('consent to', ctx.pairing.status);
      await m.insert(PairingConsent, { pairingId: id, personId: access.personId! });
      await this.audit.record(access.userId, 'mentoring.pairing.consent', 'mentor_pairing', id, ctx.pairing.districtId, null, { personId: access.personId }, m);
      return { changed: true };
    });
  }

  async decide(access: AccessContext, id: string, input: DecisionInput): Promise<{ changed: boolean; status: string }> {
    return this.locked(access, id, async (m, ctx) => {
      const { pairing, links } = ctx;
      const involved = involvedKindergartens(pairing.menteeKindergartenId, links.map((l) => l.mentorKindergartenId), pairing.baseKindergartenId);
      const mine = involved.filter((k) => access.canAt('mentoring.approve', ctx.kindergartenPaths[k]));
      if (!mine.length) throw new Forbidden('PAIRING_NOT_YOUR_KINDERGARTEN', 'None of the kindergartens that decide on this pairing is yours');
      let kindergartenId = input.kindergartenId;
      if (kindergartenId && !mine.includes(kindergartenId)) throw ValidationFailed.field('kindergartenId', 'not_involved', 'not a kindergarten of this pairing that you decide for');
      if (!kindergartenId) {
        const undecided = await this.undecided(m, id, mine);
        const candidates = undecided.length ? undecided : mine;
        if (candidates.length > 1) throw ValidationFailed.field('kindergartenId', 'required', 'you decide for several kindergartens of this pairing: name one');
        kindergartenId = candidates[0];
      }
      const reason = input.reason?.trim() || null;
      if (input.decision === 'rejected' && !reason) throw ValidationFailed.field('reason', 'required', 'give a reason for a rejection');
      const earlier = await m.findOne(PairingApproval, { where: { pairingId: id, kindergartenId } });
      if (earlier?.decision === input.decision) return { changed: false, status: pairing.status };
      if (earlier) throw alreadyDecided(earlier.decision);
      if (pairing.status !== 'proposed') throw wrongPairingStatus('decide on', pairing.status);
      if (pairing.source === 'mutual') {
        const consents = await m.find(PairingConsent, { where: { pairingId: id } });
        const named = [pairing.menteePersonId, ...links.map((l) => l.mentorPersonId)];
        if (missingConsents(named, consents.map((c) => c.personId)).length) throw awaitingConsent();
      }
      await m.insert(PairingApproval, { pairingId: id, kindergartenId, decision: input.decision, reason, decidedBy: access.userId });
      const decisions = await m.find(PairingApproval, { where: { pairingId: id } });
      const outcome = approvalOutcome(involved, decisions);
      const before = { status: pairing.status };
      if (outcome === 'rejected') {
        await m.update(MentorPairing, { id }, { status: 'rejected', endedReason: reason, version: () => 'version + 1' });
      } else if (outcome === 'approved') {
        // The limits are checked again on activation: the rule may have changed since the proposal.
        await this.query.lockPeople(m, [pairing.menteePersonId, ...links.map((l) => l.mentorPersonId)]);
        const people = await this.pairings.linkedPeople(m, pairing, links);
        await this.pairings.checkLimits(m, people.mentee, people.mentors, id);
        await m.update(MentorPairing, { id }, { status: 'active', activatedAt: new Date(), version: () => 'version + 1' });
      }
      const status = outcome === 'rejected' ? 'rejected' : outcome === 'approved' ? 'active' : 'proposed';
      await this.audit.record(access.userId, `mentoring.pairing.${input.decision === 'approved' ? 'approve' : 'reject'}`, 'mentor_pairing', id,
        pairing.districtId, before, { status, kindergartenId, decision: input.decision, reason }, m);
      return { changed: true, status };
    });
  }

  async change(access: AccessContext, id: string, input: AgreementChange): Promise<MentorPairing> {
    return this.locked(access, id, async (m, ctx) => {
      this.requireProposerAdmin(access, ctx);
      const { pairing } = ctx;
      if (!['proposed', 'active'].includes(pairing.status)) throw wrongPairingStatus('change', pairing.status);
      if (input.version !== pairing.version) throw versionConflict(pairing.version);
      const problems = input.termPlans ? termPlanProblems(input.termPlans) : [];
      if (input.endsOn && input.endsOn <= pairing.startsOn) problems.push({ field: 'endsOn', code: 'after_start', message: 'endsOn must be after startsOn' });
      if (problems.length) throw new ValidationFailed(problems);
      const before = { goals: pairing.goals, termPlans: pairing.termPlans, endsOn: pairing.endsOn };
      if (input.goals !== undefined) pairing.goals = input.goals;
      if (input.termPlans !== undefined) pairing.termPlans = input.termPlans;
      if (input.endsOn !== undefined) pairing.endsOn = input.endsOn;
      const saved = await m.save(pairing);
      await this.audit.record(access.userId, 'mentoring.pairing.update', 'mentor_pairing', id, pairing.districtId, before,
        { goals: saved.goals, termPlans: saved.termPlans, endsOn: saved.endsOn }, m);
      return saved;
    });
  }

  async end(access: AccessContext, id: string, reason: string): Promise<{ changed: boolean }> {
    return this.locked(access, id, async (m, ctx) => {
      this.requireProposerAdmin(access, ctx);
      if (ctx.pairing.status === 'ended') return { changed: false };
      if (ctx.pairing.status !== 'active') throw wrongPairingStatus('end', ctx.pairing.status);
      await m.update(MentorPairing, { id }, { status: 'ended', endedReason: reason, version: () => 'version + 1' });
      await this.audit.record(access.userId, 'mentoring.pairing.end', 'mentor_pairing', id, ctx.pairing.districtId, { status: 'active' }, { status: 'ended', reason }, m);
      return { changed: true };
    });
  }

  /** While proposed: the mentee's kindergarten admin, or for a mutual request anyone named in it. */
  async cancel(access: AccessContext, id: string, reason: string | null): Promise<{ changed: boolean }> {
    return this.locked(access, id, async (m, ctx) => {
      const named = ctx.as !== 'admin' && ctx.pairing.source === 'mutual';
      if (!named) this.requireProposerAdmin(access, ctx);
      if (ctx.pairing.status === 'cancelled') return { changed: false };
      if (ctx.pairing.status !== 'proposed') throw wrongPairingStatus('cancel', ctx.pairing.status);
      await m.update(MentorPairing, { id }, { status: 'cancelled', endedReason: reason, version: () => 'version + 1' });
      await this.audit.record(access.userId, 'mentoring.pairing.cancel', 'mentor_pairing', id, ctx.pairing.districtId, { status: 'proposed' }, { status: 'cancelled', reason }, m);
      return { changed: true };
    });
  }

  private requireProposerAdmin(access: AccessContext, ctx: PairingContext): void {
    if (!access.canAt('mentoring.manage', ctx.kindergartenPaths[ctx.pairing.menteeKindergartenId])) {
      throw new Forbidden('PAIRING_NOT_MENTEE_ADMIN', "Only the admins of the mentee's kindergarten change the agreement");
    }
  }

  private async undecided(m: EntityManager, id: string, kindergartens: string[]): Promise<string[]> {
    const decided = new Set((await m.find(PairingApproval, { where: { pairingId: id } })).map((a) => a.kindergartenId));
    return kindergartens.filter((k) => !decided.has(k));
  }

  private async locked<T>(access: AccessContext, id: string, work: (m: EntityManager, ctx: PairingContext) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, async (m) => {
      const [row] = await m.query(`SELECT id FROM mentor_pairing WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw new NotFound('pairing', id);
      return work(m, await this.directory.context(access, id, m));
    });
  }
}
