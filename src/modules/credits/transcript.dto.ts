import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { blankIsAbsent } from '../catalog/course.dto.js';

/** A credit cycle by code, e.g. 2026-2030. */
export const CYCLE_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

export class TranscriptQueryDto {
  @ApiPropertyOptional({ example: '2026-2030', description: 'credit cycle code; default: the cycle today falls in' })
  @IsOptional() @Transform(blankIsAbsent) @Matches(CYCLE_CODE, { message: 'cycle must be a credit cycle code' })
  cycle?: string;
}
