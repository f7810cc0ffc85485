import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RevokeCertificateDto {
  @ApiProperty({ example: '姓名有误，已重新颁发', description: 'kept with the certificate; never shown on the public verification page' })
  @Transform(trim) @IsString() @Length(1, 1000) reason: string;
}
