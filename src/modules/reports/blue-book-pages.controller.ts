import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { translate } from '../../common/i18n/i18n.js';
import { BlueBookQueryDto } from './blue-book.dto.js';
import { BlueBookService } from './blue-book.service.js';

/** The blue book as a printable page and as a PDF, for district staff (others: 404, see BlueBookService.districtFor). */
@ApiExcludeController()
@Controller('reports')
export class BlueBookPagesController {
  constructor(private readonly books: BlueBookService) {}

  @Get('blue-book')
  @Authorize('signed_in')
  async page(@Access() access: AccessContext, @Query() query: BlueBookQueryDto, @Req() req: Request, @Res() res: Response) {
    const figures = await this.books.figures(access, query.year, query.district, req.locale);
    const search = `?year=${figures.year}${query.district ? `&district=${encodeURIComponent(query.district)}` : ''}`;
    const thisYear = Number(shanghaiDate().slice(0, 4));
    const years = [...new Set([...Array.from({ length: 8 }, (_, i) => thisYear - i), figures.year])].sort((a, b) => b - a);
    res.render('pages/reports/blue-book', {
      title: translate(req.locale, 'blueBook.title'),
      year: figures.year,
      years: years.map((y) => ({ value: y, selected: y === figures.year })),
      district: query.district ?? null,
      pdfHref: `/reports/blue-book.pdf${search}`,
      jsonHref: `/api/reports/blue-book${search}`,
      book: this.books.html(figures, req.locale),
    });
  }

  @Get('blue-book.pdf')
  @Authorize('signed_in')
  async pdf(@Access() access: AccessContext, @Query() query: BlueBookQueryDto, @Req() req: Request, @Res() res: Response) {
    const figures = await this.books.figures(access, query.year, query.district, req.locale);
    const { bytes, filename } = await this.books.pdf(figures, req.locale);
    res.attachment(filename);
    res.type('application/pdf').setHeader('Cache-Control', 'private, no-store');
    res.send(bytes);
  }
}
