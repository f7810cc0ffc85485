import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { CertificateIssuer } from './certificate-issuer.service.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateService } from './certificate.service.js';

const base = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** The printable certificate, its PDF, the learner's list (/me/certificates), and the admin's re-issue and revoke buttons. */
@ApiExcludeController()
@Controller()
export class CertificatePagesController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly issuer: CertificateIssuer,
    private readonly renderer: CertificateRenderer,
  ) {}

  @Get('me/certificates')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const list = access.personId ? await this.certificates.ofPerson(access.personId) : [];
    res.render('pages/certificates/mine', {
      title: translate(req.locale, 'certificates.mine.title'),
      certificates: list.map((c) => this.renderer.view(c, req.locale, base(req))),
    });
  }

  @Get('certificates/:id')
  @Authorize('signed_in')
  async page(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const certificate = await this.certificates.viewable(access, id);
    const own = access.isSelf(certificate.personId);
    res.setHeader('Cache-Control', 'private, no-store');
    res.type('html').send(this.renderer.html(certificate, req.locale, {
      requestBase: base(req), csrfToken: String(res.locals.csrfToken ?? ''), flash: (res.locals.flash as unknown[] | undefined) ?? [],
      canManage: await this.certificates.canManage(access, certificate.personId), backHref: own ? '/me/certificates' : '/',
    }));
  }

  @Get('certificates/:id/pdf')
  @Authorize('signed_in')
  async pdf(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    const { bytes, filename } = await this.issuer.pdf(await this.certificates.viewable(access, id));
    res.attachment(filename);
    res.type('application/pdf').setHeader('Cache-Control', 'private, no-store');
    res.send(bytes);
  }

  @Post('certificates/:id/reissue')
  @Authorize('certificates.manage')
  async reissue(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    try {
      const fresh = await this.certificates.reissue(access, id);
      flash(res, { kind: 'success', key: 'certificates.flash.reissued' });
      res.redirect(303, `/certificates/${fresh.id}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      flash(res, { kind: 'warning', key: `errors.${error.code}` });
      res.redirect(303, `/certificates/${id}`);
    }
  }

  @Post('certificates/:id/revoke')
  @Authorize('certificates.manage')
  async revoke(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const reason = typeof body.reason === 'string' ? body.reason : '';
    try {
      await this.certificates.revoke(access, id, reason);
      flash(res, { kind: 'success', key: 'certificates.flash.revoked' });
    } catch (error) {
      if (!(error instanceof DomainError) || (error.status !== 409 && error.status !== 400)) throw error;
      flash(res, { kind: 'warning', key: error.status === 400 ? 'certificates.flash.reasonNeeded' : `errors.${error.code}` });
    }
    res.redirect(303, `/certificates/${id}`);
  }
}
