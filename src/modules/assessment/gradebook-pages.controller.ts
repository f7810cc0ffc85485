import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { GradebookQueryDto } from './gradebook.dto.js';
import { GradebookService } from './gradebook.service.js';
import { gradebookView } from './gradebook-views.js';

/** /teaching/offerings/:id/gradebook: learners × items; the filters swap just the table (htmx), and the page works without scripts. */
@ApiExcludeController()
@Controller('teaching/offerings')
export class GradebookPagesController {
  constructor(private readonly gradebook: GradebookService) {}

  @Get(':id/gradebook')
  @Authorize('offering.teach')
  async page(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: GradebookQueryDto, @Req() req: Request, @Res() res: Response) {
    const book = gradebookView(await this.gradebook.gradebook(access, id, query), req.locale);
    const onlyTable = req.get('HX-Request') === 'true';
    res.render('pages/gradebook/index', {
      title: translate(req.locale, 'gradebook.title'), book, onlyTable, ...(onlyTable ? { layout: false } : {}),
      exportFilters: { offering: id, ...book.filter },
    });
  }
}
