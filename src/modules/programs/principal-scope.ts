import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { districtIdOfPath } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { PrincipalLadderQuery, type ScopeUnitRow } from './principal-ladder.query.js';

export interface PrincipalScopeAnswer {
  /** The unit asked for (`?orgUnit=`), or null for the caller's whole scope. */
  unit: ScopeUnitRow | null;
  paths: string[];
  /** The district the figures belong to (for its target definitions). */
  districtId: string | null;
}

/**
 * Where the principal reports reach: the caller's `principals.read` subtrees (district staff their district,
 * kindergarten admins their kindergarten, group admins their group's kindergartens), or one unit inside them.
 * A unit outside answers 404, the same as one that does not exist.
 */
@Injectable()
export class PrincipalScope {
  constructor(private readonly query: PrincipalLadderQuery) {}

  async resolve(access: AccessContext, orgUnitId: string | undefined): Promise<PrincipalScopeAnswer> {
    if (!orgUnitId) {
      const paths = access.scopePaths('principals.read');
      return { unit: null, paths, districtId: districtIdOfPath(paths[0]) };
    }
    const unit = await this.query.unit(orgUnitId);
    if (!unit || !access.canAt('principals.read', unit.path)) throw new NotFound('org unit', orgUnitId);
    return { unit, paths: [unit.path], districtId: unit.kind === 'district' ? unit.id : unit.districtId ?? districtIdOfPath(unit.path) };
  }
}
