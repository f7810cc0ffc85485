import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CompletionRulesService } from './completion-rules.service.js';
import { CompletionStatusService } from './completion-status.service.js';
import { CompletionService } from './completion.service.js';
import { CreateCompletionRuleDto, ReopenCompletionDto } from './completion.dto.js';

/** Completion rules of an offering, where each learner stands, and reopening a completion. */
@ApiTags('completion')
@ApiBearerAuth()
@Controller('api')
export class CompletionController {
  constructor(
    private readonly rules: CompletionRulesService,
    private readonly status: CompletionStatusService,
    private readonly completion: CompletionService,
  ) {}

  @Get('offerings/:id/completion-rules')
  @Authorize('offering.teach')
  history(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request) {
    return this.rules.history(access, id, req.locale);
  }

  /** 201 with the new rule; 200 when the same terms were already the latest rule (nothing saved). */
  @Post('offerings/:id/completion-rules')
  @Authorize('offering.teach')
  async create(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CreateCompletionRuleDto,
    @Req() req: Request, @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.rules.create(access, id, body, req.locale);
    res.status(answer.created ? 201 : 200);
    return answer;
  }

  @Get('offerings/:id/completions')
  @Authorize('offering.teach')
  offering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request) {
    return this.status.offering(access, id, req.locale);
  }

  @Get('enrollments/:id/completion')
  @Authorize('signed_in')
  ofEnrollment(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request) {
    return this.status.status(access, id, req.locale);
  }

  @Post('enrollments/:id/completion/reopen')
  @Authorize('completion.manage')
  @HttpCode(200)
  async reopen(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ReopenCompletionDto, @Req() req: Request) {
    await this.completion.reopen(access, id, body.reason);
    return this.status.status(access, id, req.locale);
  }
}
