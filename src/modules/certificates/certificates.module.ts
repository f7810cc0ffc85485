import { Module } from '@nestjs/common';

/** Certificates: issued on completion, rendered to HTML and PDF, verified publicly, re-issued or revoked. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class CertificatesModule {}
