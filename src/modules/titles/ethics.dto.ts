import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { ETHICS_SANCTION_KINDS, type EthicsSanctionKind } from './ethics-sanction.entity.js';

export class RecordSanctionDto {
  @ApiProperty({ enum: ETHICS_SANCTION_KINDS }) @IsIn(ETHICS_SANCTION_KINDS) kind: EthicsSanctionKind;
  @ApiProperty({ example: '2026-03-01' }) @IsCalendarDate() decidedOn: string;
  @ApiProperty() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() @Length(1, 2000) reason: string;
}
