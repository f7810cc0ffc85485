import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { FINAL_GRADES, type FinalGrade } from './mentoring.entities.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

export class SubmitReviewDto {
  @ApiProperty({ example: '2026-2027-1' }) @Transform(trim) @IsString() term: string;
  @ApiProperty({ example: '本学期徒弟听课 9 节，完成公开课一节，进步明显。' }) @Transform(trim) @IsString() @Length(1, 5000) mentorComment: string;
}

export class UpdateReviewDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 5000) mentorComment: string;
}

export class AcceptReviewDto {
  @ApiPropertyOptional() @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(2000) comment?: string;
}

export class ReturnReviewDto {
  @ApiProperty({ example: '请补充示范课记录后再提交' }) @Transform(trim) @IsString() @Length(1, 2000) comment: string;
}

export class FinalAssessmentDto {
  @ApiProperty({ enum: FINAL_GRADES }) @IsIn(FINAL_GRADES) grade: FinalGrade;
  @ApiPropertyOptional({ description: 'required for fail' }) @IsOptional() @Transform(blankToUndefined) @IsString() @MaxLength(5000) comment?: string;
}
