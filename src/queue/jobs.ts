/** Every background job by name, and the queue each runs on. A processor only dispatches to a service. */
export const JOBS = {
  deliverMail: 'mail.deliver',
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

export const QUEUES = ['default', 'mail'] as const;
export type QueueName = (typeof QUEUES)[number];

export const JOB_QUEUES: Record<JobName, QueueName> = {
  'mail.deliver': 'mail',
};

export interface JobPayloads {
  'mail.deliver': { mailId: string };
}
