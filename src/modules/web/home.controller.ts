import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { NotificationService } from '../notifications/notification.service.js';

@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(private readonly notifications: NotificationService) {}

  @Get()
  @Authorize('signed_in')
  async home(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const { items, unread } = await this.notifications.listFor(access.userId, 1, 5);
    res.render('pages/home', {
      title: translate(req.locale, 'nav.home'),
      name: access.displayName,
      roles: access.roles,
      notifications: items,
      unread,
      isDistrictAdmin: access.hasRole('district_admin'),
      hasPerson: access.personId !== null,
    });
  }
}
