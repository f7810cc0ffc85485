import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { TooManyAttempts } from '../../common/errors.js';

/**
 * Counts failed sign-ins per account and per address in PostgreSQL, so every HTTP process
 * shares the count. A window starts at the first failure; success clears the account's count.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private keys(identifier: string, ip: string): { key: string; limit: number }[] {
    return [
      { key: `account:${identifier.trim().toLowerCase()}`, limit: this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT },
      { key: `ip:${ip}`, limit: this.config.LOGIN_MAX_FAILURES_PER_ADDRESS },
    ];
  }

  async assertAllowed(identifier: string, ip: string): Promise<void> {
    const keys = this.keys(identifier, ip);
    const rows: { key: string; failures: number; retry_after: number }[] = await this.db.query(
      `SELECT key, failures, ceil(extract(epoch FROM window_started_at + make_interval(mins => $2) - now()))::int AS retry_after
         FROM login_throttle WHERE key = ANY($1) AND window_started_at > now() - make_interval(mins => $2)`,
      [keys.map((k) => k.key), this.config.LOGIN_THROTTLE_WINDOW_MINUTES],
    );
    for (const row of rows) {
      const limit = keys.find((k) => k.key === row.key)!.limit;
      if (row.failures >= limit) throw new TooManyAttempts(Math.max(row.retry_after, 1));
    }
  }

  async recordFailure(identifier: string, ip: string): Promise<void> {
    for (const { key } of this.keys(identifier, ip)) {
      await this.db.query(
        `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_started_at > now() - make_interval(mins => $2) THEN login_throttle.failures + 1 ELSE 1 END,
           window_started_at = CASE WHEN login_throttle.window_started_at > now() - make_interval(mins => $2) THEN login_throttle.window_started_at ELSE now() END`,
        [key, this.config.LOGIN_THROTTLE_WINDOW_MINUTES],
      );
    }
  }

  async recordSuccess(identifier: string): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE key = $1', [`account:${identifier.trim().toLowerCase()}`]);
  }
}
