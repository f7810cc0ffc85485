import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { LOCALES, type Locale } from '../../common/i18n/i18n.js';
import {
  KINDERGARTEN_GRADES, KINDERGARTEN_STATUSES, ORG_UNIT_KINDS, OWNERSHIPS,
  type KindergartenGrade, type KindergartenStatus, type OrgUnitKind, type Ownership,
} from './org-unit.entity.js';

/** Filters left blank in a form arrive as ''; they mean "any". */
const blankIsAbsent = () => Transform(({ value }) => (value === '' ? undefined : value));
/** May be left out, but not set to null (the column is required). */
const NotNullWhenGiven = () => ValidateIf((_, value) => value !== undefined);
const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** An optional text left blank is cleared. */
const trimmedOrNull = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() || null : value));

export const ORG_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
const CREATABLE_KINDS = ORG_UNIT_KINDS.filter((k) => k !== 'city');

/**
 * `?lang=` is read by the locale middleware; pages accept it so the layout's language switch
 * (which links to `?lang=..`) does not trip the unknown-field check.
 */
export class OrgPageQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) lang?: Locale;
}

export class OrgUnitListQuery extends OrgPageQuery {
  @ApiPropertyOptional() @blankIsAbsent() @IsOptional() @IsUUID('all') parentId?: string;
  @ApiPropertyOptional({ enum: ORG_UNIT_KINDS }) @blankIsAbsent() @IsOptional() @IsIn(ORG_UNIT_KINDS) kind?: OrgUnitKind;
  @ApiPropertyOptional({ enum: OWNERSHIPS }) @blankIsAbsent() @IsOptional() @IsIn(OWNERSHIPS) ownership?: Ownership;
  @ApiPropertyOptional({ enum: KINDERGARTEN_GRADES }) @blankIsAbsent() @IsOptional() @IsIn(KINDERGARTEN_GRADES) grade?: KindergartenGrade;
  @ApiPropertyOptional({ enum: KINDERGARTEN_STATUSES }) @blankIsAbsent() @IsOptional() @IsIn(KINDERGARTEN_STATUSES) status?: KindergartenStatus;
}

/** Fields a kindergarten has; nullable ones may be cleared with null on update. */
class KindergartenFieldsDto {
  @ApiPropertyOptional({ enum: OWNERSHIPS }) @NotNullWhenGiven() @IsIn(OWNERSHIPS) ownership?: Ownership;
  @ApiPropertyOptional({ description: '普惠性' }) @NotNullWhenGiven() @IsBoolean() inclusive?: boolean;
  @ApiPropertyOptional({ enum: KINDERGARTEN_GRADES }) @NotNullWhenGiven() @IsIn(KINDERGARTEN_GRADES) grade?: KindergartenGrade;
  @ApiPropertyOptional({ enum: KINDERGARTEN_STATUSES }) @NotNullWhenGiven() @IsIn(KINDERGARTEN_STATUSES) status?: KindergartenStatus;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1900) @Max(2100) foundedYear?: number | null;
  @ApiPropertyOptional({ description: 'required when status is planned' }) @IsOptional() @IsInt() @Min(1900) @Max(2100) openingYear?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) kindergartenClasses?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) nurseryClasses?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100000) childrenEnrolled?: number | null;
  @ApiPropertyOptional() @trimmedOrNull() @IsOptional() @IsString() @MaxLength(300) address?: string | null;
}

export class CreateOrgUnitDto extends KindergartenFieldsDto {
  @ApiProperty({ enum: CREATABLE_KINDS }) @IsIn(CREATABLE_KINDS) kind: OrgUnitKind;
  @ApiProperty() @IsUUID('all') parentId: string;
  @ApiProperty({ example: 'SH-QP-K101' }) @trimmed() @IsString() @Matches(ORG_CODE_PATTERN, { message: 'code must be 1-50 letters, digits, - or _' }) code: string;
  @ApiProperty() @trimmed() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional() @trimmedOrNull() @IsOptional() @IsString() @MaxLength(200) nameEn?: string | null;
}

export class UpdateOrgUnitDto extends KindergartenFieldsDto {
  @ApiPropertyOptional() @trimmed() @NotNullWhenGiven() @IsString() @Matches(ORG_CODE_PATTERN, { message: 'code must be 1-50 letters, digits, - or _' }) code?: string;
  @ApiPropertyOptional() @trimmed() @NotNullWhenGiven() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @trimmedOrNull() @IsOptional() @IsString() @MaxLength(200) nameEn?: string | null;
  @ApiPropertyOptional({ description: 'the version read; a stale one answers 409 CONFLICT' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class MoveOrgUnitDto {
  @ApiProperty() @IsUUID('all') parentId: string;
}

/** `/org/new?parentId=&kind=`: where and what to create. */
export class NewOrgUnitQuery {
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
  @blankIsAbsent() @IsOptional() @IsUUID('all') parentId?: string;
  @blankIsAbsent() @IsOptional() @IsIn(CREATABLE_KINDS) kind?: OrgUnitKind;
}
