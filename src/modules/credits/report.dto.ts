import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { blankIsAbsent } from '../catalog/course.dto.js';
import { CYCLE_CODE } from './transcript.dto.js';

export const REPORT_GROUPINGS = ['kindergarten', 'group', 'town', 'district'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** `GET /api/credits/report` (and .xlsx, and the /credits/report page). */
export class ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_GROUPINGS, default: 'kindergarten' })
  @IsOptional() @Transform(blankIsAbsent) @IsIn(REPORT_GROUPINGS)
  groupBy: ReportGrouping = 'kindergarten';

  @ApiPropertyOptional({ example: '2026-2030', description: 'credit cycle code; default: the cycle in force today' })
  @IsOptional() @Transform(blankIsAbsent) @Matches(CYCLE_CODE, { message: 'cycle must be a credit cycle code' })
  cycle?: string;

  @ApiPropertyOptional({ example: 'sh-teacher-36', description: 'requirement scheme code; default: every scheme that applies to each person (the worst standing counts)' })
  @IsOptional() @Transform(blankIsAbsent) @Matches(/^[a-z][a-z0-9_.-]{1,59}$/, { message: 'scheme must be a requirement scheme code' })
  scheme?: string;

  @ApiPropertyOptional({ description: 'a unit of the grouping (its id, or "none" for people outside any group or town): adds its people with their standing' })
  @IsOptional() @Transform(blankIsAbsent) @Matches(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|none)$/i, { message: 'unit must be a unit id' })
  unit?: string;
}
