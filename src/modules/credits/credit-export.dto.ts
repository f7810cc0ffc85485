import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { IsCalendarDate, IsOnOrAfter } from '../../common/validators.js';
import { blankIsAbsent } from '../catalog/course.dto.js';
import { CYCLE_CODE } from './transcript.dto.js';

/** `GET /api/credits/export.csv|.xlsx`: the entries of a cycle and/or between two dates (Shanghai dates, inclusive). */
export class CreditExportQueryDto {
  @ApiPropertyOptional({ example: '2026-2030' })
  @IsOptional() @Transform(blankIsAbsent) @Matches(CYCLE_CODE, { message: 'cycle must be a credit cycle code' })
  cycle?: string;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional() @Transform(blankIsAbsent) @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional() @Transform(blankIsAbsent) @IsCalendarDate() @IsOnOrAfter('from')
  to?: string;
}
