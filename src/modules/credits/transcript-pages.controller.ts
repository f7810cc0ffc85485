import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { TranscriptQueryDto } from './transcript.dto.js';
import { TranscriptService } from './transcript.service.js';

/** 成长档案: the learner's own (我的学分) and, for credits.read within scope, anyone's; as a page and as a PDF. */
@ApiExcludeController()
@Controller()
export class TranscriptPagesController {
  constructor(private readonly transcripts: TranscriptService) {}

  @Get('me/transcript')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Query() query: TranscriptQueryDto, @Req() req: Request, @Res() res: Response) {
    await this.page(access, null, query, req, res);
  }

  @Get('me/transcript.pdf')
  @Authorize('signed_in')
  async minePdf(@Access() access: AccessContext, @Query() query: TranscriptQueryDto, @Req() req: Request, @Res() res: Response) {
    await this.pdf(access, null, query, req, res);
  }

  @Get('people/:id/transcript')
  @Authorize('credits.read')
  async theirs(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: TranscriptQueryDto, @Req() req: Request, @Res() res: Response) {
    await this.page(access, id, query, req, res);
  }

  @Get('people/:id/transcript.pdf')
  @Authorize('credits.read')
  async theirsPdf(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: TranscriptQueryDto, @Req() req: Request, @Res() res: Response) {
    await this.pdf(access, id, query, req, res);
  }

  private async page(access: AccessContext, id: string | null, query: TranscriptQueryDto, req: Request, res: Response) {
    const transcript = await this.transcripts.transcript(access, id, query.cycle, req.locale);
    const personId = transcript.person.id;
    const self = access.isSelf(personId);
    const base = self ? '/me/transcript' : `/people/${personId}/transcript`;
    res.render('pages/credits/transcript', {
      title: self ? translate(req.locale, 'transcript.title') : translate(req.locale, 'transcript.titleOf', { name: transcript.person.fullName }),
      ...transcript,
      self,
      base,
      pdfHref: `${base}.pdf${transcript.cycle ? `?cycle=${encodeURIComponent(transcript.cycle.code)}` : ''}`,
    });
  }

  private async pdf(access: AccessContext, id: string | null, query: TranscriptQueryDto, req: Request, res: Response) {
    const { bytes, filename } = await this.transcripts.pdf(access, id, query.cycle, req.locale);
    res.attachment(filename);
    res.type('application/pdf').setHeader('Cache-Control', 'private, no-store');
    res.send(bytes);
  }
}
