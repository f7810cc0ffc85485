import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { MentoringRule } from './mentoring.entities.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import type { MentoringRuleDto } from './pairing.dto.js';

/** The district's mentoring rule: limits, term targets and credit amounts. A district without its own row uses the default. */
@Injectable()
export class MentoringRulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: PairingsDirectory,
    private readonly audit: AuditService,
  ) {}

  async read(access: AccessContext, districtId: string | undefined) {
    const district = this.district(access, 'mentoring.manage', districtId);
    const rule = await this.directory.ruleFor(district);
    return { districtId: district, isDefault: rule.districtId === null, ...this.shape(rule) };
  }

  async write(access: AccessContext, input: MentoringRuleDto) {
    const district = this.district(access, 'settings.write', input.districtId);
    return inTransaction(this.dataSource, async (m) => {
      const [current] = await m.query(`SELECT id FROM mentoring_rule WHERE district_id = $1 FOR UPDATE`, [district]);
      const before = current ? this.shape(await m.findOneByOrFail(MentoringRule, { id: current.id })) : null;
      const fallback = await this.directory.ruleFor(district, m);
      const values = {
        districtId: district, maxMentorsPerMentee: input.maxMentorsPerMentee, maxMenteesPerMentor: input.maxMenteesPerMentor,
        termTargets: { ...input.termTargets }, menteeCredits: input.menteeCredits, mentorCredits: input.mentorCredits,
        menteeCategory: input.menteeCategory ?? fallback.menteeCategory, mentorCategory: input.mentorCategory ?? fallback.mentorCategory,
        creditLevel: input.creditLevel ?? fallback.creditLevel, updatedBy: access.userId, updatedAt: new Date(),
      };
      if (current) await m.update(MentoringRule, { id: current.id }, values);
      else await m.insert(MentoringRule, values);
      const saved = await this.directory.ruleFor(district, m);
      await this.audit.record(access.userId, 'mentoring.rule.update', 'mentoring_rule', saved.id, district, before, this.shape(saved), m);
      return { districtId: district, isDefault: false, ...this.shape(saved) };
    });
  }

  private district(access: AccessContext, permission: 'mentoring.manage' | 'settings.write', districtId: string | undefined): string {
    const district = districtId ?? access.districtIdFor(permission);
    // The district itself must be in scope; a kindergarten admin reads their own district's rule.
    const inScope = district && access.scopePaths(permission).some((p) => p.split('/').filter(Boolean)[1] === district);
    if (!district || !inScope) throw new NotFound('district', districtId);
    return district;
  }

  private shape(rule: MentoringRule) {
    return {
      maxMentorsPerMentee: rule.maxMentorsPerMentee, maxMenteesPerMentor: rule.maxMenteesPerMentor, termTargets: rule.termTargets,
      menteeCredits: rule.menteeCredits, mentorCredits: rule.mentorCredits, menteeCategory: rule.menteeCategory,
      mentorCategory: rule.mentorCategory, creditLevel: rule.creditLevel, updatedAt: rule.updatedAt,
    };
  }
}
