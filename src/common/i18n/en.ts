import { orgMessages } from '../../modules/org/org.messages.js';
import { peopleMessages } from '../../modules/people/people.messages.js';
import { catalogMessages } from '../../modules/catalog/catalog.messages.js';
import { enrollmentMessages } from '../../modules/enrollment/enrollment.messages.js';
import { attendanceMessages } from '../../modules/enrollment/attendance.messages.js';
import { enrollmentPagesMessages } from '../../modules/enrollment/enrollment-pages.messages.js';
import { titlesMessages } from '../../modules/titles/titles.messages.js';
import { creditsMessages } from '../../modules/credits/credits.messages.js';
import { claimsMessages } from '../../modules/credits/claims.messages.js';
import { complianceMessages } from '../../modules/credits/compliance.messages.js';
import { transcriptMessages } from '../../modules/credits/transcript.messages.js';
import { assessmentMessages } from '../../modules/assessment/assessment.messages.js';
import { rubricsMessages } from '../../modules/assessment/rubrics.messages.js';
import { gradebookMessages } from '../../modules/assessment/gradebook.messages.js';
import { gradingMessages } from '../../modules/assessment/grading.messages.js';
import { completionMessages } from '../../modules/assessment/completion.messages.js';
import { certificatesMessages } from '../../modules/certificates/certificates.messages.js';
import { pairingsMessages } from '../../modules/mentoring/pairings.messages.js';
import { mentoringWorkMessages } from '../../modules/mentoring/mentoring-work.messages.js';
import { promotionMessages } from '../../modules/titles/promotion.messages.js';
import { targetsMessages } from '../../modules/titles/targets.messages.js';
import { blueBookMessages } from '../../modules/reports/blue-book.messages.js';
import { programsMessages } from '../../modules/programs/programs.messages.js';
import { cohortMessages } from '../../modules/programs/cohort.messages.js';
import { contestsMessages } from '../../modules/programs/contests.messages.js';
import { principalsMessages } from '../../modules/programs/principals.messages.js';
import { lecturesMessages } from '../../modules/programs/lectures.messages.js';
import { importsMessages } from '../../modules/imports/imports.messages.js';
import { importKindsMessages } from '../../modules/imports/import-kinds.messages.js';
import { exportsMessages } from '../../modules/reports/exports.messages.js';
import { commonMessages } from './common.messages.js';

export const en: Record<string, string> = {
  ...commonMessages.en,
  ...orgMessages.en,
  ...peopleMessages.en,
  ...catalogMessages.en,
  ...enrollmentMessages.en,
  ...attendanceMessages.en,
  ...enrollmentPagesMessages.en,
  ...titlesMessages.en,
  ...creditsMessages.en,
  ...claimsMessages.en,
  ...complianceMessages.en,
  ...transcriptMessages.en,
  ...assessmentMessages.en,
  ...rubricsMessages.en,
  ...gradebookMessages.en,
  ...gradingMessages.en,
  ...completionMessages.en,
  ...certificatesMessages.en,
  ...pairingsMessages.en,
  ...mentoringWorkMessages.en,
  ...promotionMessages.en,
  ...targetsMessages.en,
  ...blueBookMessages.en,
  ...programsMessages.en,
  ...cohortMessages.en,
  ...contestsMessages.en,
  ...principalsMessages.en,
  ...lecturesMessages.en,
  ...importsMessages.en,
  ...importKindsMessages.en,
  ...exportsMessages.en,
};
