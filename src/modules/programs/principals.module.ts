import { Module } from '@nestjs/common';

/** Principal development: the principal ladder report and the two-certificates (双证) report. */
@Module({
})
export class PrincipalsModule {}
