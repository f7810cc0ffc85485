import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from './enrollment.entities.js';

/** One mark; records are checked one by one so problems are named `records[i].field`. */
export class AttendanceRecordDoc {
  @ApiProperty() enrollmentId: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status: AttendanceStatus;
  @ApiPropertyOptional({ description: 'late or left_early only: hours credited, more than 0 and less than the meeting; default half' })
  hours?: number;
}

export class MarkAttendanceDto {
  @ApiProperty({ type: [AttendanceRecordDoc] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2000) records: unknown[];
}

export class CheckInDto {
  @ApiProperty({ example: '042917', description: 'the six digits on the trainer\'s screen' })
  @IsString() @Matches(/^\d{6}$/, { message: 'code must be six digits' }) code: string;
}

export class MaterialProgressDto {
  @ApiProperty({ minimum: 0, maximum: 100, description: 'only moves up; 100 completes the material' })
  @IsInt() @Min(0) @Max(100) percent: number;
}
