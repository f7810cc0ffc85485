import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobHandlerRegistry } from '../../queue/job-queue.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { Certificate } from './certificate.entity.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateService } from './certificate.service.js';

/**
 * 'certificate.render': renders a pending certificate's PDF, stores it and marks it issued. The row is
 * locked and checked again before anything is stored, so a retried or duplicate job stores nothing twice.
 */
@Injectable()
export class CertificateIssuer implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: JobHandlerRegistry,
    private readonly fileAccess: FileAccessRegistry,
    private readonly files: FileStorageService,
    private readonly renderer: CertificateRenderer,
    private readonly certificates: CertificateService,
  ) {}

  onModuleInit(): void {
    this.registry.register('certificate.render', async ({ certificateId }) => {
      await this.issue(certificateId);
    });
    // The stored PDF (GET /api/files/:id) is readable by whoever may see the certificate.
    this.fileAccess.register('certificate', async (access, file) => {
      const certificate = await this.db.manager.findOneBy(Certificate, { fileId: file.id });
      if (!certificate) return false;
      return this.certificates.viewable(access, certificate.id).then(() => true, () => false);
    });
  }

  /** Answers whether this call issued it (false: already issued, revoked, superseded or unknown). */
  async issue(certificateId: string): Promise<boolean> {
    const certificate = await this.certificates.get(certificateId);
    if (!certificate || certificate.status !== 'pending' || certificate.fileId) return false;
    const { bytes, filename } = await this.renderer.pdf(certificate);
    let stored: StoredFile | null = null;
    try {
      return await this.db.transaction(async (manager) => {
        const locked = await manager.findOne(Certificate, { where: { id: certificateId }, lock: { mode: 'pessimistic_write' } });
        if (!locked || locked.status !== 'pending' || locked.fileId) return false;
        stored = await this.files.put(bytes, { originalName: filename, purpose: 'certificate', ownerUserId: null, districtId: locked.districtId }, manager);
        await manager.update(Certificate, { id: certificateId }, { status: 'issued', fileId: stored.id, issuedAt: new Date() });
        return true;
      });
    } catch (error) {
      if (stored) await this.files.discard(stored);
      throw error;
    }
  }

  /** The PDF to download: the stored one; a pending certificate is issued first; one never stored (revoked before rendering) is rendered now. */
  async pdf(certificate: Certificate): Promise<{ bytes: Buffer; filename: string }> {
    let current = certificate;
    if (current.status === 'pending') {
      await this.issue(current.id);
      current = (await this.certificates.get(current.id))!;
    }
    const file = current.fileId ? await this.files.get(current.fileId) : null;
    if (!file) return this.renderer.pdf(current);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.files.open(file)) chunks.push(Buffer.from(chunk as Buffer));
    return { bytes: Buffer.concat(chunks), filename: file.originalName };
  }
}
