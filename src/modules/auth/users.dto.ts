import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { ROLES, type Role } from './auth.entities.js';

export class RoleGrantDto {
  @IsIn(ROLES) role: Role;
  @IsOptional() @IsUUID() orgUnitId?: string;
  @IsOptional() @IsUUID() groupId?: string;
}

export class CreateUserDto {
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username must be 3-64 letters, digits, dot, dash or underscore' }) username: string;
  @IsString() @Length(1, 100) displayName: string;
  @IsString() @Length(8, 128) password: string;
  @IsOptional() @IsUUID() personId?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RoleGrantDto) roles?: RoleGrantDto[];
}
