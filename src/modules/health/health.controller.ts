import { Controller, Get, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Authorize } from '../../common/authorize.decorator.js';
import { JobQueue } from '../../queue/job-queue.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly queue: JobQueue) {}

  /** 200 when the database answers; the queue being down makes the app degraded, not down. */
  @Get()
  @Authorize('public')
  async health(@Res() res: Response) {
    const database = await this.db.query('SELECT 1').then(() => 'up' as const, () => 'down' as const);
    const queue = await this.queue.health();
    const status = database === 'down' ? 'down' : queue.status === 'down' ? 'degraded' : 'ok';
    res.status(database === 'up' ? 200 : 503).json({ status, database: { status: database }, queue });
  }
}
