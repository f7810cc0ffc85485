import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request, { agent } from 'supertest';
import { createHttpApp } from '../../src/http-app.js';
import { createRootLogger } from '../../src/common/logger.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveSecrets } from '../../src/config/secrets.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { DEMO_PASSWORD, TEST_ENV } from './env.js';

export interface TestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Base URL when started with `listen: true` (browser tests). */
  baseUrl: string;
  /** Signs in through the API and answers the bearer token. */
  token(username: string, password?: string): Promise<string>;
  /** Signs in through the sign-in page and answers a cookie-keeping agent, for page tests. */
  signInPages(username: string, password?: string): Promise<ReturnType<typeof agent>>;
  close(): Promise<void>;
}

/** The real application on its own cloned database; `env` overrides configuration (e.g. REDIS_URL). */
export async function startTestApp(options: { env?: Record<string, string>; listen?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: db.url, DATABASE_POOL_SIZE: '5', ...options.env });
  const runtime = { config, secrets: resolveSecrets(config), databaseUrl: db.url, processJobs: true };
  const app = await createHttpApp(runtime, createRootLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  let baseUrl = '';
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
  } else {
    await app.init();
  }
  const http = () => request(app.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    app, db, http, baseUrl,
    async token(username: string, password = DEMO_PASSWORD) {
      const key = `${username}:${password}`;
      if (!tokens.has(key)) {
        const res = await http().post('/api/auth/login').send({ identifier: username, password });
        if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
        tokens.set(key, res.body.accessToken as string);
      }
      return tokens.get(key)!;
    },
    async signInPages(username: string, password = DEMO_PASSWORD) {
      const browser = agent(app.getHttpServer());
      const login = await browser.get('/login').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
      await browser.post('/login').type('form').send({ _csrf: csrf, identifier: username, password, next: '/' }).expect(303);
      return browser;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
