import { Injectable } from '@nestjs/common';
import { districtIdOfPath, type AccessContext } from '../../common/access-context.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { KINDERGARTEN_GRADES, OWNERSHIPS } from '../org/org-unit.entity.js';
import { OrgScopeService } from '../org/org-scope.service.js';
import { POSTS } from '../people/person.entity.js';
import {
  APPROVAL_MODES, COURSE_LEVELS, COURSE_MODES, COURSE_STATUSES, CREDIT_CATEGORIES, MATERIAL_KINDS, WAITLIST_MODES,
} from './catalog.entities.js';
import { CatalogReferenceQuery } from './catalog-reference.query.js';
import { districtLevelScope, districtPathOf } from './catalog-rules.js';
import { AUDIENCE_TITLES } from './course.dto.js';

/** The fixed lists every catalog page offers in its selects. */
export const CATALOG_CHOICES = {
  categories: CREDIT_CATEGORIES, levels: COURSE_LEVELS, modes: COURSE_MODES, statuses: COURSE_STATUSES,
  approvalModes: APPROVAL_MODES, waitlistModes: WAITLIST_MODES, materialKinds: MATERIAL_KINDS,
  posts: POSTS, titles: AUDIENCE_TITLES, grades: KINDERGARTEN_GRADES, ownerships: OWNERSHIPS,
};

/** The options of the course and offering forms that come from the database: owners, trainers, stages, kindergartens, groups. */
@Injectable()
export class CatalogChoices {
  constructor(private readonly reference: CatalogReferenceQuery, private readonly org: OrgScopeService) {}

  async courseForm(access: AccessContext, locale: Locale) {
    const scope = access.scopePaths('catalog.manage');
    const districtPath = scope[0] ? districtPathOf(scope[0]) : null;
    const districtId = districtIdOfPath(scope[0]);
    const canOwnDistrict = districtLevelScope(access).length > 0;
    const [owners, stages, trainers, kindergartens, groups] = await Promise.all([
      this.org.kindergartensUnder(scope),
      this.reference.stages(),
      districtPath ? this.reference.trainers(districtPath) : Promise.resolve([]),
      districtId ? this.reference.kindergartens(districtId) : Promise.resolve([]),
      districtId ? this.reference.groups(districtId) : Promise.resolve([]),
    ]);
    const stageOptions = (kind: string) => stages.filter((s) => s.kind === kind && s.active).map((s) => ({ code: s.code, name: locale === 'en' ? s.nameEn : s.nameZh }));
    return {
      ...CATALOG_CHOICES,
      levels: canOwnDistrict ? COURSE_LEVELS : (['kindergarten'] as const),
      canOwnDistrict, owners, trainers, audienceKindergartens: kindergartens, audienceGroups: groups,
      teacherStages: stageOptions('teacher'), principalStages: stageOptions('principal'),
    };
  }
}
