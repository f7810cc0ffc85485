import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { createRootLogger, PinoNestLogger } from './common/logger.js';
import { loadConfigOrExit } from './config/load-config.js';
import { prepareRuntime } from './runtime.js';

/** A queue consumer: same modules as the HTTP process, no HTTP server. Needs REDIS_URL and DATABASE_URL. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    console.error('The worker needs REDIS_URL and DATABASE_URL; without Redis, jobs run inside the HTTP process.');
    process.exit(78);
  }
  const logger = createRootLogger(config.LOG_LEVEL);
  const prepared = await prepareRuntime(config, logger, { role: 'worker', migrateAndSeed: false });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(prepared.runtime), { logger: new PinoNestLogger(logger) });
  app.enableShutdownHooks();
  logger.info('teacher-growth worker consuming jobs');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
