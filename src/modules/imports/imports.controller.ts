import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CSV_TYPE, XLSX_TYPE } from '../../common/spreadsheet.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { ImportDownloadsService } from './import-downloads.service.js';
import { ImportListQuery, ImportMappingDto, ImportRowsQuery, SheetFormatQuery, TemplateParams } from './imports.dto.js';
import { ImportsService } from './imports.service.js';

/** Spreadsheet imports of the caller's district: upload → dry run (job) → mapping if needed → confirm (job) → result file. */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService, private readonly downloads: ImportDownloadsService) {}

  @Get()
  @Authorize('imports.run')
  list(@Access() access: AccessContext, @Query() query: ImportListQuery) {
    return this.imports.list(access, query.page, query.pageSize);
  }

  /** multipart/form-data: `file` (XLSX or CSV in UTF-8 or GBK, told apart by content) and `kind`. Answers the import, its dry run queued. */
  @Post()
  @Authorize('imports.run')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file', 'kind'], properties: {
    file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: ['staff', 'org_units', 'credit_history'] } } } })
  upload(@Access() access: AccessContext, @Body() body: Record<string, unknown>, @Upload() upload: UploadState) {
    return this.imports.upload(access, body?.kind, upload);
  }

  /** The template with the Chinese headers and an example row. */
  @Get('templates/:kind')
  @Authorize('imports.run')
  @ApiProduces(XLSX_TYPE, 'text/csv')
  async template(@Param() params: TemplateParams, @Query() query: SheetFormatQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const file = await this.downloads.template(params.kind, query.format ?? 'xlsx', req.locale);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.bytes, { type: file.format === 'csv' ? CSV_TYPE : XLSX_TYPE, disposition: attachment(file.filename) });
  }

  /** Status, counts and progress (what the page's progress bar polls). */
  @Get(':id')
  @Authorize('imports.run')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.imports.get(access, id);
  }

  /** Each row's dry-run outcome with every problem (field, code, message), in file order; `outcome=error` for the problems only. */
  @Get(':id/rows')
  @Authorize('imports.run')
  rows(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: ImportRowsQuery) {
    return this.imports.rows(access, id, query.outcome, query.page, query.pageSize).then(({ job: _job, ...page }) => page);
  }

  /** The columns for the fields (field key → the file's header); the dry run runs again. */
  @Put(':id/mapping')
  @Authorize('imports.run')
  mapping(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ImportMappingDto) {
    return this.imports.setMapping(access, id, body.mapping);
  }

  /** Writes the dry run's creates and updates (as a job); confirming again answers the same import. */
  @Post(':id/confirm')
  @Authorize('imports.run')
  @HttpCode(200)
  confirm(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.imports.confirm(access, id);
  }

  @Post(':id/cancel')
  @Authorize('imports.run')
  @HttpCode(200)
  cancel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.imports.cancel(access, id);
  }

  /** Every row's outcome, whether it was written, and its problems. */
  @Get(':id/result')
  @Authorize('imports.run')
  @ApiProduces(XLSX_TYPE, 'text/csv')
  async result(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: SheetFormatQuery, @Res({ passthrough: true }) res: Response) {
    const file = await this.downloads.result(access, id, query.format ?? 'xlsx');
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.stream, { type: file.format === 'csv' ? CSV_TYPE : XLSX_TYPE, disposition: attachment(file.filename) });
  }
}

/** `attachment` with an ASCII fallback name and the real (UTF-8) name. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
