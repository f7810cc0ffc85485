import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

export class LoginDto {
  @ApiProperty({ description: 'username or mobile phone number' })
  @IsString() @Length(1, 64) identifier: string;
  @ApiProperty() @IsString() @Length(1, 128) password: string;
}

export class LoginFormDto extends LoginDto {
  @IsString() @MaxLength(200) _csrf: string;
  @IsOptional() @IsString() @MaxLength(500) next?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @Length(1, 128) currentPassword: string;
  @ApiProperty() @IsString() @Length(1, 128) newPassword: string;
}

export class ChangePasswordFormDto extends ChangePasswordDto {
  @IsString() @Length(1, 128) confirmPassword: string;
}
