import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, MaxLength, Min, ValidateIf } from 'class-validator';
import { LOCALES, type Locale } from '../../common/i18n/i18n.js';
import { PageQuery } from '../../common/pagination.js';
import { RUBRIC_METHODS, type RubricMethod } from './assessment.entities.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankIsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const CRITERIA_DOC = {
  description: 'rubric: [{id?, title, description?, levels: [{id?, title, points, description?}]}] (1-20 criteria, 2-10 levels); '
    + 'guide: [{id?, title, description?, maxPoints}]. Ids are assigned by the server; send them back to keep them.',
  example: [{ title: '教学目标', levels: [{ title: '待改进', points: 1 }, { title: '合格', points: 3 }, { title: '优秀', points: 5 }] }],
};

export class RubricListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RUBRIC_METHODS }) @IsOptional() @Transform(blankIsAbsent) @IsIn(RUBRIC_METHODS) method?: RubricMethod;
  @ApiPropertyOptional({ description: '`true` (or a checked box, `on`) lists archived rubrics too' })
  @IsOptional() @Transform(blankIsAbsent) @IsIn(['true', 'false', 'on']) archived?: 'true' | 'false' | 'on';
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}

export class CreateRubricDto {
  @ApiProperty({ example: '示范课评价量规' }) @Transform(trim) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) description?: string;
  @ApiProperty({ enum: RUBRIC_METHODS }) @IsIn(RUBRIC_METHODS) method: RubricMethod;
  @ApiProperty(CRITERIA_DOC) @IsArray() criteria: unknown[];
  @ApiPropertyOptional({ description: 'the district the rubric belongs to; default: the caller\'s (needed only with several)' })
  @IsOptional() @IsUUID() districtId?: string;
}

export class UpdateRubricDto {
  @ApiProperty({ description: 'the version read; a stale one answers 409' }) @IsInt() @Min(1) version: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ ...CRITERIA_DOC, description: `${CRITERIA_DOC.description} Refused with 409 RUBRIC_IN_USE when the scoring changes and grades exist.` })
  @IsOptional() @IsArray() criteria?: unknown[];
}

/** The text fields of `POST /api/rubrics/import`; the sheet is the multipart file field `file`. */
export class ImportRubricDto {
  @ApiPropertyOptional({ description: 'default: the file name' }) @IsOptional() @Transform(trim) @Transform(blankIsAbsent) @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ enum: RUBRIC_METHODS, description: 'default: guide when the sheet has 满分 and no 等级, else rubric' })
  @IsOptional() @Transform(blankIsAbsent) @IsIn(RUBRIC_METHODS) method?: RubricMethod;
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' }) @IsOptional() @Transform(blankIsAbsent) @IsIn(['true', 'false']) dryRun?: 'true' | 'false';
  @ApiPropertyOptional() @IsOptional() @Transform(blankIsAbsent) @IsUUID() districtId?: string;
}

export const SHEET_FORMATS = ['csv', 'xlsx'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

export class SheetFormatQuery {
  @ApiProperty({ enum: SHEET_FORMATS }) @IsIn(SHEET_FORMATS) format: SheetFormat;
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}
