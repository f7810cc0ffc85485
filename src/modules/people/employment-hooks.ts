import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface NewEmployment {
  personId: string;
  districtId: string;
  orgUnitId: string;
  startDate: string;
  /** True when the person holds no current employment: a hire (or re-hire), not a move. */
  hire: boolean;
  /**
   * Set when the person's record is created together with this, their first employment: the national
   * ID's lookup hash, so checks recorded for them as a candidate can be linked in the same transaction.
   */
  newPerson?: { nationalIdHash: string };
}

/** Refuses the employment by throwing a DomainError; runs inside the transaction that would write it. */
export type EmploymentGuard = (manager: EntityManager, employment: NewEmployment) => Promise<void>;

/**
 * Lets later modules refuse a new employment entered through the API or pages (the titles
 * module's background checks: 入职查询) without the people module depending on them. Demo data
 * and imports write employments directly and are not guarded.
 */
@Injectable()
export class EmploymentHooks {
  private readonly guards: EmploymentGuard[] = [];

  onNewEmployment(guard: EmploymentGuard): void {
    this.guards.push(guard);
  }

  async beforeNewEmployment(manager: EntityManager, employment: NewEmployment): Promise<void> {
    for (const guard of this.guards) await guard(manager, employment);
  }
}
