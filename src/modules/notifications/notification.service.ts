import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { Notification } from './notification.entities.js';

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** The same key twice stores one notification (retried jobs). */
  dedupeKey?: string | null;
}

/** In-app notifications, shown on the home page and the notifications page. */
@Injectable()
export class NotificationService {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  async notify(input: NewNotification): Promise<void> {
    await this.notifications.createQueryBuilder().insert()
      .values({ ...input, link: input.link ?? null, dedupeKey: input.dedupeKey ?? null }).orIgnore().execute();
  }

  async listFor(userId: string, page: number, pageSize: number): Promise<{ items: Notification[]; total: number; unread: number }> {
    const [items, total] = await this.notifications.findAndCount({ where: { userId }, order: { createdAt: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    const unread = await this.notifications.countBy({ userId, readAt: IsNull() });
    return { items, total, unread };
  }

  /** Only the owner can mark their notification; anyone else's id is simply not found. */
  async markRead(userId: string, id: string): Promise<boolean> {
    const result = await this.notifications.update({ id, userId, readAt: IsNull() }, { readAt: new Date() });
    return (result.affected ?? 0) > 0 || (await this.notifications.existsBy({ id, userId }));
  }
}
