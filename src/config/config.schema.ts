import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** Every environment variable the processes read. Unknown keys are ignored; bad values stop the boot. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().startsWith('postgres').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // The hot reads' own pool (src/database/prepared-reads.ts); connections open only when used.
  DATABASE_READ_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  DATA_DIR: z.string().min(1).default('.data'),
  REDIS_URL: z.string().url().startsWith('redis').optional(),
  /** With Redis, whether web processes also consume jobs (false when dedicated workers run). */
  HTTP_PROCESS_JOBS: booleanFlag.default(true),
  /** Whether job-consuming processes run the recurring jobs (offer expiry, notification retry, reminders). */
  SCHEDULED_JOBS: booleanFlag.default(true),
  /** Seconds a self check-in code stays valid on the trainer's screen. */
  CHECK_IN_CODE_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  /** Largest upload accepted (claim evidence, submissions), in bytes. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(500 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Largest export (in rows) answered at once; a larger one becomes a background job downloaded from /exports. */
  EXPORT_INLINE_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('tgp'),
  /** Longest wait for Redis to take a job before it is kept in the job outbox instead (the request never waits longer). */
  QUEUE_ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1500),
  /** How often each process sends the jobs kept in the outbox while Redis was unreachable. */
  QUEUE_OUTBOX_RELAY_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Lock of a running job: a dead worker's job is handed to another worker once it lapses (imports: QUEUE_IMPORT_LOCK_MS). */
  QUEUE_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  QUEUE_IMPORT_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /** How often workers look for jobs whose lock lapsed (their worker died). */
  QUEUE_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('教师发展平台 <no-reply@localhost>'),
  APP_BASE_URL: z.string().url().optional(),
  /** base64 of 32 bytes; generated and kept under DATA_DIR when absent outside production */
  DATA_ENCRYPTION_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be base64 of 32 bytes').optional(),
  /** base64 of 32 bytes; older keys still readable after a rotation, comma separated as id:key */
  DATA_ENCRYPTION_OLD_KEYS: z.string().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10000).default(30),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  DEMO_DATA: booleanFlag.default(true),
  DEMO_PASSWORD: z.string().min(8).default('Demo@2026'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_LOCALE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  COOKIE_SECURE: booleanFlag.default(false),
  /** Where uploaded files' bytes live: `local` (DATA_DIR/files) or `s3` (any S3-compatible object store). */
  FILE_STORAGE: z.enum(['local', 's3']).default('local'),
  /** The store's URL (MinIO, OSS, COS...); without it, AWS S3 in S3_REGION. */
  S3_ENDPOINT: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]+$/, 'must be a region name such as us-east-1').default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 lowercase letters, digits, dots, hyphens)').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `true`: http://endpoint/bucket/key (MinIO and most self-hosted stores); `false`: http://bucket.endpoint/key. */
  S3_FORCE_PATH_STYLE: booleanFlag.default(true),
  /** Folder inside the bucket for this platform's objects, e.g. `tgp/qingpu`. */
  S3_PREFIX: z.string().regex(/^(?!.*\.\.)[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/, 'must be folder names separated by /').optional(),
}).superRefine((config, context) => {
  if (config.FILE_STORAGE !== 's3') return;
  for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    if (!config[key]) context.addIssue({ code: 'custom', path: [key], message: 'required when FILE_STORAGE=s3' });
  }
  // `when`: checked even when other keys are bad, so that every problem is listed at once.
}, { when: () => true });

export type AppConfig = z.infer<typeof configSchema>;
