import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { LOCALES, type Locale } from '../../common/i18n/i18n.js';
import { GRADEBOOK_STATUSES, type GradebookStatus } from './gradebook-rules.js';
import { SHEET_FORMATS, type SheetFormat } from './rubric.dto.js';

const blankIsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The gradebook's filters (also on its export and its page). */
export class GradebookQueryDto {
  @ApiPropertyOptional({ description: 'kindergarten (org unit) id of the learners' }) @IsOptional() @Transform(blankIsAbsent) @IsUUID() kindergarten?: string;
  @ApiPropertyOptional({ enum: GRADEBOOK_STATUSES, description: 'with `item`: on that item; without: passed/failed overall, ungraded/missing on any item' })
  @IsOptional() @Transform(blankIsAbsent) @IsIn(GRADEBOOK_STATUSES) status?: GradebookStatus;
  @ApiPropertyOptional({ description: 'an item of the offering' }) @IsOptional() @Transform(blankIsAbsent) @IsUUID() item?: string;
  @ApiPropertyOptional({ description: 'part of a learner\'s name' }) @IsOptional() @Transform(blankIsAbsent) @IsString() @MaxLength(100) q?: string;
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}

export class GradebookExportDto extends GradebookQueryDto {
  @ApiProperty({ enum: SHEET_FORMATS }) @IsIn(SHEET_FORMATS) format: SheetFormat;
}
