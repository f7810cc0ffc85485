import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { BlueBookQueryDto } from './blue-book.dto.js';
import { BlueBookService } from './blue-book.service.js';

/**
 * The blue book's figures as JSON. Any signed-in caller may ask; only district staff (targets.read
 * over the whole district) get an answer, everyone else is told the district does not exist.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class BlueBookController {
  constructor(private readonly books: BlueBookService) {}

  @Get('blue-book')
  @Authorize('signed_in')
  @ApiOkResponse({ description: 'the year\'s figures as of 31 December (today for the current year): workforce, targets, credits, training, programs (tiers, contests, lecture series), mentoring, kindergartens' })
  figures(@Access() access: AccessContext, @Query() query: BlueBookQueryDto, @Req() req: Request) {
    return this.books.figures(access, query.year, query.district, req.locale);
  }
}
