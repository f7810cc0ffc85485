import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { CSV_TYPE, XLSX_TYPE } from '../../common/spreadsheet.js';
import { GradeImportService } from './grade-import.service.js';
import { GradeSheetQuery } from './grading.dto.js';

/** The offering's grade spreadsheet, and bulk grade import with a dry run. */
@ApiTags('grading')
@ApiBearerAuth()
@Controller('api/offerings/:id')
export class GradeImportController {
  constructor(private readonly imports: GradeImportService) {}

  /** Current agreed grades: 报名编号, 姓名, 幼儿园, then `<item title> [<item id>]` per gradable item (points, or 通过/不通过). */
  @Get('grade-sheet')
  @Authorize('offering.teach')
  @ApiProduces(XLSX_TYPE, 'text/csv')
  async sheet(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: GradeSheetQuery, @Res() res: Response) {
    const format = query.format ?? 'xlsx';
    const sheet = await this.imports.sheet(access, id, format);
    res.attachment(sheet.filename).type(format === 'csv' ? CSV_TYPE : XLSX_TYPE).setHeader('Cache-Control', 'private, no-store');
    res.send(sheet.bytes);
  }

  /**
   * multipart/form-data: `file` (XLSX or CSV, told apart by content), `dryRun` (default true), `reason` (for changes to
   * released grades). A dry run answers every change and every problem; applying with any problem answers 400 and writes nothing.
   */
  @Post('grade-imports')
  @Authorize('offering.teach')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: {
    file: { type: 'string', format: 'binary' }, dryRun: { type: 'boolean', default: true }, reason: { type: 'string', maxLength: 2000 } } } })
  import(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>, @Upload() upload: UploadState) {
    return this.imports.import(access, id, upload, { dryRun: body.dryRun, reason: body.reason });
  }
}
