import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';

export class RecordConversionRuleDto {
  @ApiProperty({ description: 'a city or district' }) @IsUUID('loose') regionId: string;
  @ApiProperty({ example: 10 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.5) @Max(100) hoursPerCreditCentralised: number;
  @ApiProperty({ example: 10 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.5) @Max(100) hoursPerCreditOther: number;
  @ApiProperty({ example: '2021-01-01' }) @IsCalendarDate() effectiveFrom: string;
}
