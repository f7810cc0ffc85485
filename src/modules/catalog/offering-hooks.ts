import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface MinAttendanceShareChange {
  offeringId: string;
  districtId: string;
  share: number;
  actorUserId: string;
}

export type MinAttendanceShareListener = (manager: EntityManager, change: MinAttendanceShareChange) => Promise<void>;

/**
 * Lets later modules follow edits made on the offering form without the catalog depending on them:
 * the completion rules take a changed attendance minimum as a new rule, in the same transaction.
 */
@Injectable()
export class OfferingHooks {
  private readonly shareListeners: MinAttendanceShareListener[] = [];

  onMinAttendanceShareChanged(listener: MinAttendanceShareListener): void {
    this.shareListeners.push(listener);
  }

  async minAttendanceShareChanged(manager: EntityManager, change: MinAttendanceShareChange): Promise<void> {
    for (const listener of this.shareListeners) await listener(manager, change);
  }
}
