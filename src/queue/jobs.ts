/** Every background job by name, and the queue each runs on. A processor only dispatches to a service. */
export const JOBS = {
  deliverMail: 'mail.deliver',
  notifyEnrollment: 'enrollment.notify',
  sweepEnrollments: 'enrollment.sweep',
  remindMeetings: 'meeting.remind',
  remindCompliance: 'compliance.remind',
  renderCertificate: 'certificate.render',
  sweepCompletions: 'completion.sweep',
  remindChecks: 'checks.remind',
  validateImport: 'import.validate',
  applyImport: 'import.apply',
  renderExport: 'export.render',
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

export const QUEUES = ['default', 'mail', 'imports', 'exports'] as const;
export type QueueName = (typeof QUEUES)[number];

export const JOB_QUEUES: Record<JobName, QueueName> = {
  'mail.deliver': 'mail',
  'enrollment.notify': 'default',
  'enrollment.sweep': 'default',
  'meeting.remind': 'default',
  'compliance.remind': 'default',
  'certificate.render': 'default',
  'completion.sweep': 'default',
  'checks.remind': 'default',
  'import.validate': 'imports',
  'import.apply': 'imports',
  'export.render': 'exports',
};

export interface JobPayloads {
  'mail.deliver': { mailId: string };
  /** Sends the notification of one enrolment event (a promotion, an approval, ...). */
  'enrollment.notify': { eventId: string };
  /** Expires lapsed waitlist offers (promoting the next in line) and re-sends notifications a crash left unsent. */
  'enrollment.sweep': Record<string, never>;
  /** Reminds enrolled learners of tomorrow's meetings. */
  'meeting.remind': Record<string, never>;
  /** Tells people at risk of missing their cycle's requirements, 12, 6 and 3 months before it ends (once each). */
  'compliance.remind': Record<string, never>;
  /** Renders an issued certificate's PDF and stores it; a certificate already rendered is left as it is. */
  'certificate.render': { certificateId: string };
  /** Evaluates completions a crash may have missed, partial credit of offerings that have ended, and re-queues certificates still pending. */
  'completion.sweep': Record<string, never>;
  /** Tells district HR of background re-checks due and hires starting without a clear check, once per person and due date. */
  'checks.remind': Record<string, never>;
  /** Reads an uploaded import file and records every row's dry-run outcome; a rerun starts the dry run over. */
  'import.validate': { jobId: string };
  /** Writes the confirmed rows not yet written, in batches; a rerun after a crash resumes where the last batch committed. */
  'import.apply': { jobId: string };
  /** Renders a queued export to a file; a rerun of a finished export changes nothing. */
  'export.render': { exportId: string };
}

/** Recurring jobs: every process that consumes jobs keeps these schedules (BullMQ deduplicates them). */
export const SCHEDULES: ReadonlyArray<{ name: JobName; everyMs: number }> = [
  { name: 'enrollment.sweep', everyMs: 60_000 },
  { name: 'meeting.remind', everyMs: 15 * 60_000 },
  { name: 'compliance.remind', everyMs: 6 * 3_600_000 },
  { name: 'completion.sweep', everyMs: 10 * 60_000 },
  { name: 'checks.remind', everyMs: 24 * 3_600_000 },
];
