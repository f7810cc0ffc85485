import { Foundation1763800000000 } from './1763800000000-foundation.js';
import { CatalogEnrollment1763900000000 } from './1763900000000-catalog-enrollment.js';
import { Credits1764000000000 } from './1764000000000-credits.js';
import { Assessment1764100000000 } from './1764100000000-assessment.js';
import { Mentoring1764200000000 } from './1764200000000-mentoring.js';
import { TitlesTargets1764300000000 } from './1764300000000-titles-targets.js';
import { Programs1764400000000 } from './1764400000000-programs.js';
import { ImportsExports1764500000000 } from './1764500000000-imports-exports.js';
import { CatalogSpeed1764600000010 } from './1764600000010-catalog-speed.js';
import { ReportSpeed1764600000020 } from './1764600000020-report-speed.js';
import { Idempotency1764600000030 } from './1764600000030-idempotency.js';
import { JobOutbox1764600000040 } from './1764600000040-job-outbox.js';

/** Every migration in order. Listed here so the built app and the tests load the same set. */
export const migrations = [Foundation1763800000000, CatalogEnrollment1763900000000, Credits1764000000000, Assessment1764100000000, Mentoring1764200000000, TitlesTargets1764300000000, Programs1764400000000,
  ImportsExports1764500000000, CatalogSpeed1764600000010, ReportSpeed1764600000020, Idempotency1764600000030, JobOutbox1764600000040];
