import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { IsZonedDateTime } from '../catalog/offering.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateCompletionRuleDto {
  @ApiPropertyOptional({ example: '2026-09-01T00:00:00+08:00', description: 'default now; after the start of the rule in force' })
  @IsOptional() @IsZonedDateTime() effectiveFrom?: string;
  @ApiProperty({ example: 0.8, minimum: 0, maximum: 1, description: 'share of all meeting hours a learner must attend' })
  @IsNumber({ maxDecimalPlaces: 3 }) @Min(0) @Max(1) minAttendanceShare: number;
  @ApiPropertyOptional({ type: [String], description: 'assessment items of this offering to pass (not surveys, not archived)' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) requiredItemIds?: string[];
  @ApiPropertyOptional({ description: 'the course evaluation survey must be submitted (needs a survey item)' })
  @IsOptional() @IsBoolean() requireEvaluation?: boolean;
  @ApiPropertyOptional({ enum: ['all', 'any'], description: "default 'all'" })
  @IsOptional() @IsIn(['all', 'any']) combine?: 'all' | 'any';
  @ApiPropertyOptional({ nullable: true, example: 0.5, description: 'partial credit from this share of hours (below minAttendanceShare); null: none' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 3 }) @Min(0) @Max(1) partialCreditFloor?: number | null;
}

export class ReopenCompletionDto {
  @ApiProperty({ example: '成绩更正后重新判定' }) @Transform(trim) @IsString() @Length(1, 1000) reason: string;
}
