import { Injectable, Logger } from '@nestjs/common';

export type AttendanceListener = (enrollmentIds: string[]) => Promise<void>;

/**
 * Lets later modules react when a learner's attended hours change (completion is evaluated at once),
 * without the enrollment module depending on them. Listeners run after the marks are committed;
 * a listener's failure is logged and never undoes the marks (the completion sweep catches up).
 */
@Injectable()
export class AttendanceListeners {
  private readonly logger = new Logger('AttendanceListeners');
  private readonly listeners: AttendanceListener[] = [];

  add(listener: AttendanceListener): void {
    this.listeners.push(listener);
  }

  async changed(enrollmentIds: string[]): Promise<void> {
    if (!enrollmentIds.length) return;
    for (const listener of this.listeners) {
      try {
        await listener(enrollmentIds);
      } catch (error) {
        this.logger.error(`attendance listener failed for ${enrollmentIds.length} enrolment(s): ${(error as Error).message}`);
      }
    }
  }
}
