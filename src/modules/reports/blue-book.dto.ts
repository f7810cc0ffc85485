import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** Digits become a number; anything else stays as typed for the validator to name. */
const wholeNumber = ({ value }: { value: unknown }) => (value === '' ? undefined : typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value);

export class BlueBookQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'the book\'s year (figures as of 31 December, or today for the current year); default: this year' })
  @IsOptional() @Transform(wholeNumber) @IsInt({ message: 'year must be a whole year such as 2026' }) @Min(2000) @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'district (org unit) id; default: the caller\'s district' })
  @IsOptional() @Transform(({ value }) => (value === '' ? undefined : value)) @IsUUID()
  district?: string;
}
