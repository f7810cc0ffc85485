import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { PageQuery, pageLinks } from '../../common/pagination.js';
import { flash } from '../../common/web/flash.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { sendFile } from './export-http.js';
import { ExportJobsService } from './export-jobs.service.js';
import { exportRows } from './export-views.js';

/** 我的导出 (/exports), and the export buttons of the list pages, which post the page's filters here. */
@ApiExcludeController()
@Controller('exports')
export class ExportsPagesController {
  constructor(private readonly exports: ExportJobsService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Query() query: PageQuery, @Req() req: Request, @Res() res: Response) {
    const result = await this.exports.mine(access, query.page, query.pageSize);
    res.render('pages/reports/exports', {
      title: translate(req.locale, 'exports.title'),
      rows: exportRows(result.items, req.locale),
      pending: result.items.some((j) => j.status === 'queued' || j.status === 'running'),
      inlineRows: this.config.EXPORT_INLINE_ROWS,
      pager: pageLinks('/exports', {}, result.total, result.page, result.pageSize),
    });
  }

  /** A small list downloads at once; a large one becomes a job and the user lands on 我的导出 to wait for it. */
  @Post(':kind')
  @Authorize('signed_in')
  async export(@Access() access: AccessContext, @Param('kind') kind: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const answer = await this.exports.request(access, kind, body.format, body);
    if (answer.kind === 'file') return sendFile(res, answer.file);
    flash(res, { kind: 'info', key: answer.job.status === 'ready' ? 'exports.flash.ready' : 'exports.flash.queued' });
    res.redirect(303, '/exports');
  }
}
