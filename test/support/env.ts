/** Fixed, non-secret keys for tests only, so the template database's encrypted fields stay readable. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  SESSION_SECRET: 'test-session-secret-test-session-secret-0123456789',
  DEMO_DATA: 'false',
  DEMO_PASSWORD: 'Demo@2026',
  SCHEDULED_JOBS: 'false',
} as const;

export const DEMO_PASSWORD = TEST_ENV.DEMO_PASSWORD;
