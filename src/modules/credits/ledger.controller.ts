import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CreditListQuery, RecordCreditDto, ReverseCreditDto } from './ledger.dto.js';
import { LedgerService } from './ledger.service.js';

@ApiTags('credits')
@ApiBearerAuth()
@Controller('api')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  /** The caller's own ledger lines with net totals by category × level. */
  @Get('me/credits')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext, @Query() query: CreditListQuery) {
    if (!access.personId) throw new NotFound('person');
    return this.statement(access, access.personId, query);
  }

  @Get('people/:id/credits')
  @Authorize('signed_in')
  person(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: CreditListQuery) {
    return this.statement(access, id, query);
  }

  /** 201 with the new entry; 200 with the earlier one when the same idempotency key comes again. */
  @Post('people/:id/credits')
  @Authorize('credits.manage')
  async record(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: RecordCreditDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.ledger.recordFor(access, id, body);
    res.status(answer.created ? 201 : 200);
    return answer.entry;
  }

  @Post('credits/:entryId/reverse')
  @Authorize('credits.manage')
  @HttpCode(201)
  reverse(@Access() access: AccessContext, @Param('entryId', RecordIdPipe) entryId: string, @Body() body: ReverseCreditDto) {
    return this.ledger.reverse(access, entryId, body.reason);
  }

  private statement(access: AccessContext, personId: string, query: CreditListQuery) {
    const { page, pageSize, q: _q, ...filter } = query;
    return this.ledger.statement(access, personId, filter, page, pageSize);
  }
}
