import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppModule, type Runtime } from './app.module.js';
import { PinoNestLogger } from './common/logger.js';
import { createValidationPipe } from './common/validation.js';
import { AppExceptionFilter } from './common/web/exception.filter.js';
import { localeMiddleware } from './common/web/locale.js';
import { flashMiddleware } from './common/web/flash.js';
import { requestLog } from './common/web/request-log.js';
import { securityHeaders } from './common/web/security-headers.js';
import { pageEngine } from './common/web/page-engine.js';
import { TemplateRegistry } from './common/views/handlebars.js';
import { PROJECT_ROOT, TEMPLATES_DIR } from './common/paths.js';

/** Builds the HTTP application: security headers, sessions' cookies, pages, API, OpenAPI at /api/docs. */
export async function createHttpApp(runtime: Runtime, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(runtime), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  app.set('trust proxy', 'loopback');
  // No ETag on dynamic answers: hashing every body (a 330 KB gradebook is hashed whole) costs each request, and
  // these answers change with the data, so a browser's revalidation would rarely be spared. Static assets keep theirs.
  app.set('etag', false);
  app.use(requestLog(logger, { ignore: (url) => url === '/health' }));
  app.use(securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"],
        upgradeInsecureRequests: runtime.config.COOKIE_SECURE ? [] : null,
      },
    },
  }));
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: true, limit: '1mb' }));
  app.use(cookieParser());
  app.use(localeMiddleware(runtime.config.DEFAULT_LOCALE));
  app.use(flashMiddleware);
  const assets = { immutable: true, maxAge: '7d', index: false } as const;
  app.use('/assets/bootstrap', express.static(resolve(PROJECT_ROOT, 'node_modules/bootstrap/dist'), assets));
  app.use('/assets/htmx', express.static(resolve(PROJECT_ROOT, 'node_modules/htmx.org/dist'), assets));
  app.use('/assets/echarts', express.static(resolve(PROJECT_ROOT, 'node_modules/echarts/dist'), assets));
  app.use('/assets/app', express.static(resolve(PROJECT_ROOT, 'public'), { index: false, maxAge: '1h' }));
  app.engine('hbs', pageEngine(app.get(TemplateRegistry)));
  app.setBaseViewsDir(TEMPLATES_DIR);
  app.setViewEngine('hbs');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AppExceptionFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Teacher Growth Platform API').setVersion('0.1').addBearerAuth().build());
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
