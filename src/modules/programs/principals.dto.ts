import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class PrincipalReportQuery {
  @ApiPropertyOptional({ description: 'a unit inside your scope (kindergarten, town, district); default: all of your scope' })
  @IsOptional() @IsUUID('loose') orgUnit?: string;
}

export class LadderQuery extends PrincipalReportQuery {
  @ApiPropertyOptional({ description: 'a principal stage code (reserve, new, growing, mature, expert) or none' })
  @IsOptional() @IsString() @Length(1, 40) stage?: string;
}
