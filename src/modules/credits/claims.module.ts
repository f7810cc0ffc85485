import { Module } from '@nestjs/common';

/** Claims for training done elsewhere: submit with evidence, kindergarten review, district decision. */
@Module({})
export class ClaimsModule {}
