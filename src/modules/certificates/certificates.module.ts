import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { FilesModule } from '../files/files.module.js';
import { PeopleModule } from '../people/people.module.js';
import { Certificate } from './certificate.entity.js';
import { CertificateIssuer } from './certificate-issuer.service.js';
import { CertificatePagesController } from './certificate-pages.controller.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateService } from './certificate.service.js';
import { CertificatesController } from './certificates.controller.js';
import { VerifyController } from './verify.controller.js';

/** Certificates: issued on completion, rendered to HTML and PDF, verified publicly, re-issued or revoked. */
@Module({
  imports: [TypeOrmModule.forFeature([Certificate]), AuditModule, FilesModule, PeopleModule],
  providers: [CertificateService, CertificateRenderer, CertificateIssuer],
  controllers: [CertificatesController, CertificatePagesController, VerifyController],
  exports: [CertificateService],
})
export class CertificatesModule {}
