import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateService } from './certificate.service.js';
import { RevokeCertificateDto } from './certificates.dto.js';

const base = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** The learner's certificates; re-issue and revocation by district staff. */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('api')
export class CertificatesController {
  constructor(private readonly certificates: CertificateService, private readonly renderer: CertificateRenderer) {}

  @Get('me/certificates')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Req() req: Request) {
    if (!access.personId) return [];
    const list = await this.certificates.ofPerson(access.personId);
    return list.map((c) => this.answer(c, req));
  }

  @Get('certificates/:id')
  @Authorize('signed_in')
  async one(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request) {
    return this.answer(await this.certificates.viewable(access, id), req);
  }

  @Post('certificates/:id/reissue')
  @Authorize('certificates.manage')
  async reissue(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request) {
    return this.answer(await this.certificates.reissue(access, id), req);
  }

  @Post('certificates/:id/revoke')
  @Authorize('certificates.manage')
  @HttpCode(200)
  async revoke(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: RevokeCertificateDto, @Req() req: Request) {
    return this.answer(await this.certificates.revoke(access, id, body.reason), req);
  }

  private answer(certificate: Awaited<ReturnType<CertificateService['get']>>, req: Request) {
    if (!certificate) throw new NotFound('certificate');
    const view = this.renderer.view(certificate, req.locale, base(req));
    return {
      ...view, completionId: certificate.completionId, personId: certificate.personId, supersededBy: certificate.supersededBy,
      revokeReason: certificate.revokeReason, htmlUrl: `/certificates/${certificate.id}`, pdfUrl: `/certificates/${certificate.id}/pdf`,
    };
  }
}
