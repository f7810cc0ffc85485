import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { PledgesService } from './pledges.service.js';

export class PledgeStatusQueryDto {
  @ApiPropertyOptional() @Type(() => Number) @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID() kindergartenId?: string;
}

function yearParam(raw: string): number {
  if (!/^\d{4}$/.test(raw)) throw ValidationFailed.field('year', 'isInt', 'year must be a four-digit year');
  return Number(raw);
}

/** Integrity pledges (师德承诺): the person signs for the year; admins see who has not, with the year's ethics study. */
@ApiTags('pledges')
@ApiBearerAuth()
@Controller('api')
export class PledgesController {
  constructor(private readonly pledges: PledgesService) {}

  @Post('me/pledges/:year')
  @HttpCode(200)
  @Authorize('signed_in')
  sign(@Access() access: AccessContext, @Param('year') year: string) {
    return this.pledges.sign(access, yearParam(year));
  }

  @Get('me/pledges/:year')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext, @Param('year') year: string) {
    return this.pledges.mine(access, yearParam(year));
  }

  @Get('pledges/status')
  @Authorize('people.read')
  status(@Access() access: AccessContext, @Query() query: PledgeStatusQueryDto) {
    return this.pledges.overview(access, query.year, query.kindergartenId);
  }
}
