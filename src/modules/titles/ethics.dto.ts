import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { ETHICS_SANCTION_KINDS, type EthicsSanctionKind } from './ethics-sanction.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimmedOrAbsent = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value ?? undefined);
const blankAsAbsent = ({ value }: { value: unknown }) => (value === '' || value === null ? undefined : value);

export class RecordSanctionDto {
  @ApiProperty({ enum: ETHICS_SANCTION_KINDS }) @IsIn(ETHICS_SANCTION_KINDS) kind: EthicsSanctionKind;
  @ApiProperty({ example: '2026-03-01', description: 'the decision date; the sanction starts on it' }) @IsCalendarDate() decidedOn: string;
  @ApiPropertyOptional({ description: 'end of the sanction; defaults to warning +6 months, demerit +12, demotion or removal +24; a dismissal has none' })
  @Transform(blankAsAbsent) @IsOptional() @IsCalendarDate() sanctionUntil?: string;
  @ApiPropertyOptional({ description: 'end of the eligibility block; at least 24 months after the decision and not before the sanction ends (the default)' })
  @Transform(blankAsAbsent) @IsOptional() @IsCalendarDate() blocksUntil?: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 2000) reason: string;
}

export class CorrectSanctionDto {
  @ApiPropertyOptional({ enum: ETHICS_SANCTION_KINDS }) @Transform(blankAsAbsent) @IsOptional() @IsIn(ETHICS_SANCTION_KINDS) kind?: EthicsSanctionKind;
  @ApiPropertyOptional() @Transform(blankAsAbsent) @IsOptional() @IsCalendarDate() decidedOn?: string;
  @ApiPropertyOptional({ description: 'absent: the default for the (corrected) kind and decision date' })
  @Transform(blankAsAbsent) @IsOptional() @IsCalendarDate() sanctionUntil?: string;
  @ApiPropertyOptional() @Transform(blankAsAbsent) @IsOptional() @IsCalendarDate() blocksUntil?: string;
  @ApiPropertyOptional() @Transform(trimmedOrAbsent) @IsOptional() @IsString() @Length(1, 2000) reason?: string;
  @ApiProperty({ description: 'why the record is corrected (audited)' }) @Transform(trim) @IsString() @Length(1, 2000) correctionReason: string;
}

export class RevokeSanctionDto {
  @ApiProperty({ description: 'why the sanction is revoked (audited)' }) @Transform(trim) @IsString() @Length(1, 2000) reason: string;
}
