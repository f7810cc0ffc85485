import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailOutbox, Notification } from './notification.entities.js';
import { MailService } from './mail.service.js';
import { NotificationService } from './notification.service.js';
import { NotificationsController } from './notifications.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Notification, MailOutbox])],
  providers: [MailService, NotificationService],
  controllers: [NotificationsController],
  exports: [MailService, NotificationService],
})
export class NotificationsModule {}
