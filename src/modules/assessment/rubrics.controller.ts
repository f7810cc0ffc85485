import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { CreateRubricDto, ImportRubricDto, RubricListQuery, SheetFormatQuery, UpdateRubricDto } from './rubric.dto.js';
import { RubricsService } from './rubrics.service.js';

/** Reusable rubrics and marking guides of the caller's district, with spreadsheet import (dry run first) and export. */
@ApiTags('rubrics')
@ApiBearerAuth()
@Controller('api/rubrics')
export class RubricsController {
  constructor(private readonly rubrics: RubricsService) {}

  @Get()
  @Authorize('offering.teach')
  list(@Access() access: AccessContext, @Query() query: RubricListQuery) {
    return this.rubrics.list(access, query);
  }

  @Post()
  @Authorize('offering.teach')
  create(@Access() access: AccessContext, @Body() body: CreateRubricDto) {
    return this.rubrics.create(access, body);
  }

  /** multipart/form-data: the sheet as `file` (XLSX or CSV). A dry run (the default) answers 200 with the rubric it would create and every problem. */
  @Post('import')
  @Authorize('offering.teach')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: {
    file: { type: 'string', format: 'binary' }, name: { type: 'string' }, method: { type: 'string', enum: ['rubric', 'guide'] },
    dryRun: { type: 'string', enum: ['true', 'false'], default: 'true' }, districtId: { type: 'string', format: 'uuid' } } } })
  async import(
    @Access() access: AccessContext, @Body() body: ImportRubricDto, @Upload() upload: UploadState, @Req() req: Request, @Res({ passthrough: true }) res: Response,
  ) {
    if (upload.problem) throw new ValidationFailed([upload.problem]);
    if (!upload.file) throw ValidationFailed.field('file', 'FILE_REQUIRED', 'Attach the rubric sheet (XLSX or CSV) as file');
    const dryRun = body.dryRun !== 'false';
    const answer = await this.rubrics.importSheet(access, {
      bytes: upload.file.buffer, fileName: upload.file.originalName, name: body.name, method: body.method, dryRun, districtId: body.districtId,
    }, req.locale);
    res.status(dryRun ? 200 : 201);
    return answer;
  }

  @Get(':id')
  @Authorize('offering.teach')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.rubrics.get(access, id);
  }

  @Patch(':id')
  @Authorize('offering.teach')
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateRubricDto) {
    return this.rubrics.update(access, id, body);
  }

  @Post(':id/copy')
  @Authorize('offering.teach')
  copy(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.rubrics.copy(access, id);
  }

  @Post(':id/archive')
  @Authorize('offering.teach')
  @HttpCode(200)
  archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.rubrics.archive(access, id);
  }

  /** CSV is UTF-8 with a byte-order mark, so Excel shows the Chinese text. */
  @Get(':id/export')
  @Authorize('offering.teach')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: SheetFormatQuery, @Res() res: Response) {
    const file = await this.rubrics.exportSheet(access, id, query.format);
    res.attachment(file.fileName).type(file.contentType).setHeader('Cache-Control', 'private, no-store');
    res.send(file.body);
  }
}
