import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

export class CriterionMarkDoc {
  @ApiProperty() criterionId: string;
  @ApiPropertyOptional({ description: 'rubric: the chosen level (its points count)' }) levelId?: string;
  @ApiPropertyOptional({ description: 'marking guide: 0..the criterion\'s maximum' }) points?: number;
  @ApiPropertyOptional({ maxLength: 2000 }) comment?: string;
}

/** A mark; which fields count depends on the item's grading method (criteria are checked one by one, `criteria[i].field`). */
export class GradeDto {
  @ApiPropertyOptional({ type: [CriterionMarkDoc], description: 'rubric and marking guide: every criterion exactly once' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) criteria?: unknown[];

  @ApiPropertyOptional({ description: 'points items: 0..maxPoints (rubric/guide: the sum, may be left out)' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) points?: number;

  @ApiPropertyOptional({ description: 'pass/fail items' })
  @IsOptional() @IsBoolean() passed?: boolean;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional() @IsString() @MaxLength(10000) feedback?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'required when the grade has been released' })
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;

  @ApiPropertyOptional({ description: 'the grade version last read; a stale one answers 409' })
  @IsOptional() @IsInt() @Min(0) version?: number;
}

export class ReconcileDto extends GradeDto {
  @ApiPropertyOptional({ description: 'take the two marks as the grade (only when they agree); no mark fields then' })
  @IsOptional() @IsBoolean() accept?: boolean;
}

export class ReleaseDto {
  @ApiPropertyOptional({ type: [String], description: 'only these learners; default every agreed grade not yet released' })
  @IsOptional() @IsArray() @ArrayMaxSize(5000) @IsUUID('all', { each: true }) enrollmentIds?: string[];
}

export class GradeSheetQuery {
  @ApiPropertyOptional({ enum: ['xlsx', 'csv'], default: 'xlsx' })
  @IsOptional() @IsIn(['xlsx', 'csv']) format?: 'xlsx' | 'csv';
}
