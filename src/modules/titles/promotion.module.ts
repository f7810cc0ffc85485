import { Module } from '@nestjs/common';

/** Title promotion: effective-dated title rules, eligibility with the date each condition will be met, applications with a frozen dossier and two reviews. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class PromotionModule {}
