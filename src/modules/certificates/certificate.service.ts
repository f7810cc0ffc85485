import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, NotFound, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { JobQueue } from '../../queue/job-queue.js';
import { AuditService } from '../audit/audit.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { Certificate, type CertificateSnapshot } from './certificate.entity.js';
import { newCertificateCode } from './certificate-code.js';

export interface NewCertificate {
  completionId: string;
  personId: string;
  districtId: string;
  snapshot: CertificateSnapshot;
}

/** Who may see a certificate besides its owner. */
const READERS = ['certificates.manage', 'credits.read'] as const;

/**
 * Certificate rows: one current (pending or issued) per open completion, created in the completing
 * transaction; re-issue supersedes, revocation keeps the row so it verifies as revoked.
 */
@Injectable()
export class CertificateService {
  private readonly logger = new Logger('CertificateService');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueue,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
  ) {}

  /** Inserts a pending certificate with a fresh code (a code already taken, never seen in practice, draws again). */
  async createPending(manager: EntityManager, input: NewCertificate): Promise<Certificate> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO certificate (completion_id, person_id, district_id, code, status, snapshot)
         VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (code) DO NOTHING RETURNING id`,
        [input.completionId, input.personId, input.districtId, newCertificateCode(), JSON.stringify(input.snapshot)]);
      if (rows[0]) return (await manager.findOneBy(Certificate, { id: rows[0].id }))!;
    }
    throw new Error('could not draw a free certificate code');
  }

  /** Revokes the completion's current certificate (a reopened completion), in the caller's transaction. */
  async revokeCurrent(manager: EntityManager, completionId: string, actorUserId: string | null, reason: string): Promise<Certificate | null> {
    const current = await manager.findOne(Certificate, { where: [{ completionId, status: 'pending' }, { completionId, status: 'issued' }], lock: { mode: 'pessimistic_write' } });
    if (!current) return null;
    return this.markRevoked(manager, current, actorUserId, reason);
  }

  /** After commit: the render job for each new certificate (the completion sweep re-queues any still pending). */
  async queueRender(certificateIds: string[]): Promise<void> {
    for (const certificateId of certificateIds) {
      try {
        await this.queue.enqueue('certificate.render', { certificateId }, { jobId: `certificate-${certificateId}` });
      } catch (error) {
        this.logger.warn(`could not queue certificate ${certificateId}: ${(error as Error).message}`);
      }
    }
  }

  /** The certificate for its owner, or for someone holding certificates.manage or credits.read over the owner; others learn nothing (404). */
  async viewable(access: AccessContext, id: string): Promise<Certificate> {
    const certificate = await this.db.manager.findOneBy(Certificate, { id });
    if (!certificate) throw new NotFound('certificate', id);
    if (access.isSelf(certificate.personId)) return certificate;
    const place = await this.people.personOrgPath(certificate.personId);
    if (!place || !READERS.some((p) => access.canAt(p, place.path))) throw new NotFound('certificate', id);
    return certificate;
  }

  async get(id: string): Promise<Certificate | null> {
    return this.db.manager.findOneBy(Certificate, { id });
  }

  async byCode(code: string): Promise<Certificate | null> {
    return this.db.manager.findOneBy(Certificate, { code });
  }

  /** The person's certificates, newest first. */
  async ofPerson(personId: string): Promise<Certificate[]> {
    return this.db.manager.find(Certificate, { where: { personId }, order: { createdAt: 'DESC' } });
  }

  async pendingIds(limit = 200): Promise<string[]> {
    const rows = await this.db.manager.find(Certificate, { select: { id: true }, where: { status: 'pending' }, order: { createdAt: 'ASC' }, take: limit });
    return rows.map((r) => r.id);
  }

  /**
   * Replaces a pending or issued certificate with a new one (new code, the name, course and issuer as
   * they are now; hours, credits and date unchanged). The old one verifies as superseded. Audited.
   */
  async reissue(access: AccessContext, id: string): Promise<Certificate> {
    await this.managed(access, id);
    const created = await inTransaction(this.db, async (manager) => {
      const old = await this.lock(manager, id);
      if (old.status === 'superseded') throw new Conflict('CERTIFICATE_SUPERSEDED', 'This certificate has already been replaced', { supersededBy: old.supersededBy });
      if (old.status === 'revoked') throw new Conflict('CERTIFICATE_REVOKED', 'A revoked certificate cannot be re-issued');
      const [current]: Array<Omit<CertificateSnapshot, 'hours' | 'credits' | 'completedOn' | 'partial'>> = await manager.query(
        `SELECT p.full_name AS "fullName", c.title AS "courseTitle", o.label AS "offeringLabel", coalesce(owner.name, d.name) AS issuer
           FROM completion co JOIN person p ON p.id = co.person_id JOIN offering o ON o.id = co.offering_id JOIN course c ON c.id = o.course_id
           LEFT JOIN org_unit owner ON owner.id = c.owner_org_unit_id JOIN org_unit d ON d.id = co.district_id
          WHERE co.id = $1`, [old.completionId]);
      await manager.update(Certificate, { id: old.id }, { status: 'superseded' });
      const fresh = await this.createPending(manager, {
        completionId: old.completionId, personId: old.personId, districtId: old.districtId, snapshot: { ...old.snapshot, ...current },
      });
      await manager.update(Certificate, { id: old.id }, { supersededBy: fresh.id });
      await this.audit.record(access.userId, 'reissue', 'certificate', old.id, old.districtId,
        { status: old.status, code: old.code, snapshot: old.snapshot }, { supersededBy: fresh.id, code: fresh.code, snapshot: fresh.snapshot }, manager);
      return fresh;
    });
    await this.queueRender([created.id]);
    return (await this.get(created.id))!;
  }

  /** Revokes a certificate (it then verifies as revoked); revoking it again changes nothing. Audited. */
  async revoke(access: AccessContext, id: string, reason: string): Promise<Certificate> {
    const why = reason.trim();
    if (!why || why.length > 1000) throw ValidationFailed.field('reason', 'isLength', 'reason must be 1 to 1000 characters');
    await this.managed(access, id);
    return inTransaction(this.db, async (manager) => {
      const certificate = await this.lock(manager, id);
      if (certificate.status === 'revoked') return certificate;
      if (certificate.status === 'superseded') throw new Conflict('CERTIFICATE_SUPERSEDED', 'This certificate has been replaced; revoke the new one', { supersededBy: certificate.supersededBy });
      const before = { status: certificate.status };
      const revoked = await this.markRevoked(manager, certificate, access.userId, why);
      await this.audit.record(access.userId, 'revoke', 'certificate', id, certificate.districtId, before, { status: 'revoked', reason: why }, manager);
      return revoked;
    });
  }

  /** Whether the caller may manage certificates of this person (for showing the buttons). */
  async canManage(access: AccessContext, personId: string): Promise<boolean> {
    if (!access.can('certificates.manage')) return false;
    const place = await this.people.personOrgPath(personId);
    return !!place && access.canAt('certificates.manage', place.path);
  }

  /** Checked before the transaction: the scope look-up must not take a second connection while a row is locked. */
  private async managed(access: AccessContext, id: string): Promise<void> {
    const certificate = await this.get(id);
    if (!certificate || !(await this.canManage(access, certificate.personId))) throw new NotFound('certificate', id);
  }

  private async lock(manager: EntityManager, id: string): Promise<Certificate> {
    return (await manager.findOne(Certificate, { where: { id }, lock: { mode: 'pessimistic_write' } }))!;
  }

  private async markRevoked(manager: EntityManager, certificate: Certificate, actorUserId: string | null, reason: string): Promise<Certificate> {
    Object.assign(certificate, { status: 'revoked', revokedAt: new Date(), revokedBy: actorUserId, revokeReason: reason });
    await manager.update(Certificate, { id: certificate.id }, {
      status: 'revoked', revokedAt: certificate.revokedAt, revokedBy: actorUserId, revokeReason: reason,
    });
    return certificate;
  }
}
