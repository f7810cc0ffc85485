import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { EthicsSanction } from './ethics-sanction.entity.js';
import { EthicsService } from './ethics.service.js';
import { EthicsController } from './ethics.controller.js';
import { EthicsPagesController } from './ethics-pages.controller.js';
import { ChecksQuery } from './checks.query.js';
import { ChecksService } from './checks.service.js';
import { ChecksController } from './checks.controller.js';
import { ChecksPagesController } from './checks-pages.controller.js';
import { CheckReminderService } from './check-reminder.service.js';
import { PledgesQuery } from './pledges.query.js';
import { PledgesService } from './pledges.service.js';
import { PledgesController } from './pledges.controller.js';

/** Ethics records (师德失范) and the blocks they impose, background checks (入职查询), integrity pledges and the yearly ethics study. */
@Module({
  imports: [TypeOrmModule.forFeature([EthicsSanction]), AuditModule, NotificationsModule, PeopleModule],
  providers: [EthicsService, ChecksQuery, ChecksService, CheckReminderService, PledgesQuery, PledgesService],
  controllers: [EthicsController, ChecksController, PledgesController, EthicsPagesController, ChecksPagesController],
  exports: [EthicsService, PledgesService, CheckReminderService],
})
export class TitlesModule {}
