import { PeopleModule } from '../people/people.module.js';
import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { ComplianceModule } from '../credits/compliance.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { DossierAssembler } from './dossier.js';
import { PromotionPagesController } from './promotion-pages.controller.js';
import { PromotionController } from './promotion.controller.js';
import { TitleApplicationsQuery } from './title-applications.query.js';
import { TitleApplicationsService } from './title-applications.service.js';
import { TitleDecisionsService } from './title-decisions.service.js';
import { TitleEligibilityQuery } from './title-eligibility.query.js';
import { TitleEligibilityService } from './title-eligibility.service.js';
import { TitleRulesPagesController } from './title-rules-pages.controller.js';
import { TitleRulesService } from './title-rules.service.js';
import { TitleApplication, TitleRule } from './titles.entities.js';

/** Title promotion: effective-dated title rules, eligibility with the date each condition will be met, applications with a frozen dossier and two reviews. */
@Module({
  imports: [TypeOrmModule.forFeature([TitleRule, TitleApplication]), ComplianceModule, FilesModule, AuditModule, PeopleModule],
  providers: [
    TitleEligibilityQuery, TitleEligibilityService, TitleRulesService, TitleApplicationsQuery, TitleApplicationsService,
    TitleDecisionsService, DossierAssembler,
  ],
  controllers: [PromotionController, PromotionPagesController, TitleRulesPagesController],
  exports: [TitleEligibilityService, DossierAssembler],
})
export class PromotionModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** Attachments are read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middleware('file')).forRoutes(
      { path: 'api/title-applications/:id', method: RequestMethod.PATCH },
      { path: 'titles/applications/:id/attachments', method: RequestMethod.POST },
    );
  }
}
