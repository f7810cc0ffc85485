import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { ORG_CODE_PATTERN } from './org.dto.js';

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class GroupMemberDto {
  @ApiProperty() @IsUUID('all') kindergartenId: string;
  @ApiProperty({ description: 'a lead kindergarten (引领园); a group has one or two' }) @IsBoolean() isLead: boolean;
}

export class GroupMembersDto {
  @ApiProperty({ type: [GroupMemberDto] })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => GroupMemberDto)
  members: GroupMemberDto[];
}

export class CreateGroupDto extends GroupMembersDto {
  @ApiProperty({ example: 'SH-QP-G08' }) @trimmed() @IsString() @Matches(ORG_CODE_PATTERN, { message: 'code must be 1-50 letters, digits, - or _' }) code: string;
  @ApiProperty() @trimmed() @IsString() @Length(1, 200) name: string;
  @ApiProperty() @IsUUID('all') districtId: string;
}

export class UpdateGroupDto {
  @ApiPropertyOptional() @trimmed() @ValidateIf((_, v) => v !== undefined) @IsString() @Matches(ORG_CODE_PATTERN, { message: 'code must be 1-50 letters, digits, - or _' }) code?: string;
  @ApiPropertyOptional() @trimmed() @ValidateIf((_, v) => v !== undefined) @IsString() @Length(1, 200) name?: string;
}
