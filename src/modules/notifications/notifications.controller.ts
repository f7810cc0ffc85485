import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { PageQuery, pageLinks } from '../../common/pagination.js';
import { translate } from '../../common/i18n/i18n.js';
import { NotificationService } from './notification.service.js';
import { MailService } from './mail.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationService, private readonly mail: MailService) {}

  @Get('api/notifications')
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Query() query: PageQuery) {
    return { ...(await this.notifications.listFor(access.userId, query.page, query.pageSize)), page: query.page, pageSize: query.pageSize };
  }

  @Post('api/notifications/:id/read')
  @HttpCode(204)
  @Authorize('signed_in')
  async markRead(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string) {
    if (!(await this.notifications.markRead(access.userId, id))) throw new NotFound('notification', id);
  }

  @Get('notifications')
  @Authorize('signed_in')
  async page(@Access() access: AccessContext, @Query() query: PageQuery, @Req() req: Request, @Res() res: Response) {
    const { items, total } = await this.notifications.listFor(access.userId, query.page, query.pageSize);
    res.render('pages/notifications/list', {
      title: translate(req.locale, 'notifications.title'), items, pager: pageLinks('/notifications', { ...query }, total, query.page, query.pageSize),
    });
  }

  @Post('notifications/:id/read')
  @Authorize('signed_in')
  async markReadForm(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    if (!(await this.notifications.markRead(access.userId, id))) throw new NotFound('notification', id);
    res.redirect(303, '/notifications');
  }

  @Get('api/outbox')
  @Authorize('mail.outbox.read')
  async outbox(@Query() query: PageQuery) {
    return { ...(await this.mail.list(query.page, query.pageSize)), page: query.page, pageSize: query.pageSize };
  }

  @Get('outbox')
  @Authorize('mail.outbox.read')
  async outboxPage(@Query() query: PageQuery, @Req() req: Request, @Res() res: Response) {
    const { items, total } = await this.mail.list(query.page, query.pageSize);
    res.render('pages/notifications/outbox', {
      title: translate(req.locale, 'outbox.title'), items, pager: pageLinks('/outbox', { ...query }, total, query.page, query.pageSize),
    });
  }

  @Get('outbox/:id')
  @Authorize('mail.outbox.read')
  async outboxMail(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const mail = await this.mail.get(id);
    if (!mail) throw new NotFound('mail', id);
    res.render('pages/notifications/mail', { title: mail.subject, mail });
  }
}
