import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ClaimsPagesController } from './claims-pages.controller.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimsQuery } from './claims.query.js';
import { ClaimsService } from './claims.service.js';
import { CreditsModule } from './credits.module.js';
import { CreditClaim } from './credit.entities.js';

/** Claims for training done elsewhere: submit with evidence, kindergarten review, district decision. */
@Module({
  imports: [TypeOrmModule.forFeature([CreditClaim]), CreditsModule, FilesModule, AuditModule, NotificationsModule],
  providers: [ClaimsService, ClaimsQuery],
  controllers: [ClaimsController, ClaimsPagesController],
  exports: [ClaimsService],
})
export class ClaimsModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** The certificate is read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middleware('evidence')).forRoutes(
      { path: 'api/me/claims', method: RequestMethod.POST },
      { path: 'claims', method: RequestMethod.POST },
    );
  }
}
