import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsUUID } from 'class-validator';
import { CONTEST_AWARDS } from './contest.entities.js';

export class EnterContestDto {
  @ApiPropertyOptional({ description: 'the staff member to enter (kindergarten admins); absent: yourself' })
  @IsOptional() @IsUUID('loose') personId?: string;
}

/** One line of a results sheet; lines are checked one by one so problems are named `results[i].field`. */
export class ContestResultDoc {
  @ApiProperty() entryId: string;
  @ApiPropertyOptional({ description: 'from 0 to the contest scale (100 unless its criteria add up to another maximum), at most 2 decimals' })
  score?: number | null;
  @ApiProperty({ enum: CONTEST_AWARDS }) award: string;
}

export class ContestResultsDto {
  @ApiProperty({ type: [ContestResultDoc] })
  @IsArray() results: unknown[];
}
