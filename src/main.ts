import 'reflect-metadata';
import { createRootLogger } from './common/logger.js';
import { loadConfigOrExit } from './config/load-config.js';
import { createHttpApp } from './http-app.js';
import { DEMO_SIGN_INS, prepareRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config.LOG_LEVEL);
  const { runtime, embedded } = await prepareRuntime(config, logger, { role: 'http', migrateAndSeed: true });
  const app = await createHttpApp(runtime, logger);
  const stopEmbedded = async () => embedded?.stop();
  process.once('SIGINT', () => void app.close().then(stopEmbedded).then(() => process.exit(0)));
  process.once('SIGTERM', () => void app.close().then(stopEmbedded).then(() => process.exit(0)));
  await app.listen(runtime.config.PORT);
  const url = `http://localhost:${runtime.config.PORT}`;
  logger.info({ url, queue: runtime.config.REDIS_URL ? 'bullmq' : 'inline', database: embedded ? 'embedded' : 'external' }, 'teacher-growth listening');
  if (runtime.config.DEMO_DATA) {
    const lines = DEMO_SIGN_INS.map(([, username, label]) => `  ${username.padEnd(16)} ${runtime.config.DEMO_PASSWORD.padEnd(12)} ${label}`);
    console.log(`\n教师发展平台已启动 / Teacher Growth Platform is running: ${url}\n演示账号 / demo sign-ins (username, password):\n${lines.join('\n')}\n  t00001 … t0xxxx     ${runtime.config.DEMO_PASSWORD.padEnd(12)} 每位教职工 / every staff member\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
