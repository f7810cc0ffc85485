import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { PageQuery } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CSV_TYPE, XLSX_TYPE } from '../../common/spreadsheet.js';
import { sendFile, sendStream } from './export-http.js';
import { ExportJobsService, type ExportAnswer } from './export-jobs.service.js';

type Params = Record<string, unknown>;

/** Exports of the list pages (people, kindergartens, roster, gradebook, compliance, coverage) and the caller's export jobs. */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/exports')
export class ExportsController {
  constructor(private readonly exports: ExportJobsService) {}

  @Get()
  @Authorize('signed_in')
  @ApiOperation({ summary: 'my export jobs, newest first' })
  mine(@Access() access: AccessContext, @Query() query: PageQuery) {
    return this.exports.mine(access, query.page, query.pageSize);
  }

  @Get('jobs/:id')
  @Authorize('signed_in')
  job(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.exports.get(access, id);
  }

  @Get('jobs/:id/file')
  @Authorize('signed_in')
  @ApiProduces(XLSX_TYPE, 'text/csv')
  async file(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    const { file, stream } = await this.exports.file(access, id);
    sendStream(res, file.originalName, file.contentType === 'text/csv' ? CSV_TYPE : XLSX_TYPE, file.sizeBytes, stream);
  }

  /**
   * The list as a file, with the list's own filters in the query (`format=xlsx|csv`). At most
   * EXPORT_INLINE_ROWS rows: the file (200). More: 202 `{exportId, status}`; download it from
   * `jobs/:id/file` when ready. The list's permission is needed (403); records out of scope: 404.
   */
  @Get(':kind')
  @Authorize('signed_in')
  @ApiProduces(XLSX_TYPE, 'text/csv', 'application/json')
  async export(@Access() access: AccessContext, @Param('kind') kind: string, @Query() query: Params, @Res() res: Response) {
    this.answer(res, await this.exports.request(access, kind, query.format, query));
  }

  /** The same as GET, for clients that post the filters; a retry or double click answers the job already made. */
  @Post(':kind')
  @Authorize('signed_in')
  @ApiProduces(XLSX_TYPE, 'text/csv', 'application/json')
  async exportPosted(@Access() access: AccessContext, @Param('kind') kind: string, @Query() query: Params, @Body() body: Params, @Res() res: Response) {
    const params = { ...query, ...(body && typeof body === 'object' ? body : {}) };
    this.answer(res, await this.exports.request(access, kind, params.format, params));
  }

  private answer(res: Response, answer: ExportAnswer): void {
    if (answer.kind === 'file') return sendFile(res, answer.file);
    res.status(202).json({ exportId: answer.job.id, ...answer.job });
  }
}
