import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/config.schema.js';
import type { Secrets } from './config/secrets.js';
import { ConfigModule } from './config/config.module.js';
import { CoreModule } from './common/core.module.js';
import { PreparedReadsModule } from './database/prepared-reads.js';
import { dataSourceOptions } from './database/data-source.js';
import { QueueModule } from './queue/queue.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { OrgModule } from './modules/org/org.module.js';
import { PeopleModule } from './modules/people/people.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { CreditsModule } from './modules/credits/credits.module.js';
import { TitlesModule } from './modules/titles/titles.module.js';
import { FilesModule } from './modules/files/files.module.js';
import { ClaimsModule } from './modules/credits/claims.module.js';
import { ComplianceModule } from './modules/credits/compliance.module.js';
import { TranscriptModule } from './modules/credits/transcript.module.js';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { EnrollmentModule } from './modules/enrollment/enrollment.module.js';
import { AttendanceModule } from './modules/enrollment/attendance.module.js';
import { AssessmentModule } from './modules/assessment/assessment.module.js';
import { RubricsModule } from './modules/assessment/rubrics.module.js';
import { GradingModule } from './modules/assessment/grading.module.js';
import { GradebookModule } from './modules/assessment/gradebook.module.js';
import { CompletionModule } from './modules/assessment/completion.module.js';
import { CertificatesModule } from './modules/certificates/certificates.module.js';
import { PairingsModule } from './modules/mentoring/pairings.module.js';
import { MentoringWorkModule } from './modules/mentoring/mentoring-work.module.js';
import { PromotionModule } from './modules/titles/promotion.module.js';
import { TargetsModule } from './modules/titles/targets.module.js';
import { BlueBookModule } from './modules/reports/blue-book.module.js';
import { ProgramsModule } from './modules/programs/programs.module.js';
import { CohortModule } from './modules/programs/cohort.module.js';
import { ContestsModule } from './modules/programs/contests.module.js';
import { PrincipalsModule } from './modules/programs/principals.module.js';
import { LecturesModule } from './modules/programs/lectures.module.js';
import { ImportsModule } from './modules/imports/imports.module.js';
import { ExportsModule } from './modules/reports/exports.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { WebModule } from './modules/web/web.module.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';

export interface Runtime {
  config: AppConfig;
  secrets: Secrets;
  databaseUrl: string;
  /** Whether this process consumes queued jobs (BullMQ only; the inline driver always runs them). */
  processJobs: boolean;
}

/** The feature modules, shared by the HTTP process (main.ts) and the worker (worker.ts). */
export const FEATURE_MODULES = [
  AuditModule, OrgModule, PeopleModule, AuthModule, NotificationsModule, CreditsModule, TitlesModule,
  CatalogModule, EnrollmentModule, AttendanceModule, FilesModule, ClaimsModule, ComplianceModule, TranscriptModule,
  AssessmentModule, RubricsModule, GradingModule, GradebookModule, CompletionModule, CertificatesModule,
  PairingsModule, MentoringWorkModule, PromotionModule, TargetsModule, BlueBookModule,
  // Cohort before Programs: its fixed paths (/programs/alumni) must win over /programs/:id.
  CohortModule, ProgramsModule, ContestsModule, PrincipalsModule, LecturesModule, ImportsModule, ExportsModule, HealthModule, WebModule,
];

@Module({})
export class AppModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(runtime.config),
        CoreModule.forRoot(runtime.secrets),
        TypeOrmModule.forRoot(dataSourceOptions(runtime.databaseUrl, runtime.config.DATABASE_POOL_SIZE)),
        PreparedReadsModule.forRoot(runtime.databaseUrl, runtime.config.DATABASE_READ_POOL_SIZE),
        QueueModule.forRoot({ redisUrl: runtime.config.REDIS_URL, prefix: runtime.config.QUEUE_PREFIX, processJobs: runtime.processJobs, scheduledJobs: runtime.config.SCHEDULED_JOBS }),
        ...FEATURE_MODULES,
        IdempotencyModule,
      ],
    };
  }
}
