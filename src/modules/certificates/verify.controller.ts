import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authorize } from '../../common/authorize.decorator.js';
import { NotFound } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { normaliseCode } from './certificate-code.js';
import { CertificateService } from './certificate.service.js';
import { verification, type Verification } from './certificate-verification.js';

/** Public verification of a certificate by its code: no sign-in, and nothing beyond what the certificate states. */
@ApiTags('certificates')
@Controller()
export class VerifyController {
  constructor(private readonly certificates: CertificateService) {}

  @Get('api/verify/:code')
  @Authorize('public')
  async api(@Param('code') code: string): Promise<Verification> {
    const found = await this.find(code);
    if (!found) throw new NotFound('certificate');
    return found;
  }

  @Get('verify/:code')
  @Authorize('public')
  async page(@Param('code') code: string, @Req() req: Request, @Res() res: Response) {
    const found = await this.find(code);
    res.setHeader('Cache-Control', 'no-store');
    res.status(found ? 200 : 404).render('pages/certificates/verify', {
      title: translate(req.locale, 'certificates.verify.title'), certificate: found, asked: code.slice(0, 40),
    });
  }

  private async find(raw: string): Promise<Verification | null> {
    const code = normaliseCode(raw);
    const certificate = code ? await this.certificates.byCode(code) : null;
    return certificate ? verification(certificate) : null;
  }
}
