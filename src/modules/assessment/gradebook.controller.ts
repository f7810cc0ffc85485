import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { GradebookExportDto, GradebookQueryDto } from './gradebook.dto.js';
import { GradebookService } from './gradebook.service.js';

/** The gradebook of an offering for its trainers: learners × items with totals and pass/fail, and its export. */
@ApiTags('gradebook')
@ApiBearerAuth()
@Controller('api/offerings')
export class GradebookController {
  constructor(private readonly gradebook: GradebookService) {}

  /** A row per learner, and `cells[r][c]` (row r on column c) as tuples of the fields `cellFields` names. */
  @Get(':id/gradebook')
  @Authorize('offering.teach')
  view(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: GradebookQueryDto) {
    return this.gradebook.grid(access, id, query);
  }

  /** The grade sheet of bulk import (so it can be edited and imported back), with the same filters. CSV is UTF-8 with a byte-order mark. */
  @Get(':id/gradebook/export')
  @Authorize('offering.teach')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: GradebookExportDto, @Res() res: Response) {
    const { format, ...filter } = query;
    const file = await this.gradebook.export(access, id, filter, format);
    res.attachment(file.fileName).type(file.contentType).setHeader('Cache-Control', 'private, no-store');
    res.send(file.body);
  }
}
