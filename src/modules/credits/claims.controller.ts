import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { ClaimDecisionDto, ClaimListQuery, MyClaimsQuery } from './claims.dto.js';
import { ClaimsService } from './claims.service.js';

@ApiTags('claims')
@ApiBearerAuth()
@Controller('api')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  /** multipart/form-data: the SubmitClaimDto fields and the certificate as the file field `evidence`. */
  @Post('me/claims')
  @Authorize('signed_in')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['evidence', 'title', 'provider', 'certificateNumber', 'hours', 'category', 'level', 'occurredOn'],
    properties: { evidence: { type: 'string', format: 'binary' }, title: { type: 'string' }, provider: { type: 'string' }, certificateNumber: { type: 'string' },
      hours: { type: 'number' }, credits: { type: 'number' }, category: { type: 'string' }, level: { type: 'string' }, occurredOn: { type: 'string', format: 'date' } } } })
  submit(@Access() access: AccessContext, @Body() body: Record<string, unknown>, @Upload() upload: UploadState) {
    return this.claims.submit(access, body, upload);
  }

  @Get('me/claims')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext, @Query() query: MyClaimsQuery) {
    return this.claims.mine(access, query.page, query.pageSize);
  }

  @Get('claims')
  @Authorize('claims.review')
  inbox(@Access() access: AccessContext, @Query() query: ClaimListQuery) {
    return this.claims.inbox(access, query.status, query.page, query.pageSize);
  }

  @Get('claims/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.claims.get(access, id);
  }

  /** The kindergarten's step; the same decision again answers the claim unchanged. */
  @Post('claims/:id/review')
  @Authorize('claims.review')
  @HttpCode(200)
  async review(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ClaimDecisionDto) {
    return (await this.claims.review(access, id, body)).claim;
  }

  /** The district's step; approving writes the ledger entry. */
  @Post('claims/:id/decide')
  @Authorize('claims.decide')
  @HttpCode(200)
  async decide(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ClaimDecisionDto) {
    return (await this.claims.decide(access, id, body)).claim;
  }
}
