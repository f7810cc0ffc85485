import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { HomeController } from './home.controller.js';

@Module({ imports: [NotificationsModule], controllers: [HomeController] })
export class WebModule {}
