import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { EthicsService } from '../titles/ethics.service.js';
import { ApplicationFactsQuery, type ApplicantRecord } from './application-facts.query.js';
import { unmetConditions, type UnmetCondition } from './program-rules.js';
import type { Program } from './programs.entities.js';

/** Why a person may not apply; `message` is in the reader's language. */
export interface IneligibleReason {
  code: string;
  message: string;
  params: UnmetCondition['params'];
}

export interface Judged {
  record: ApplicantRecord;
  unmet: UnmetCondition[];
}

/** 422 PROGRAM_INELIGIBLE with every reason in `details.reasons`. */
export class ProgramIneligible extends DomainError {
  constructor(readonly reasons: IneligibleReason[], locale: Locale) {
    super('PROGRAM_INELIGIBLE', 422, reasons.map((r) => r.message).join('; '), { reasons },
      { reasons: reasons.map((r) => r.message).join(locale === 'en' ? '; ' : '；') });
  }
}

/** Judges people against a program's eligibility on a day: the record's facts and any ethics block (purpose `program`). */
@Injectable()
export class ProgramEligibilityService {
  constructor(private readonly facts: ApplicationFactsQuery, private readonly ethics: EthicsService) {}

  async judge(program: Program, personIds: string[], onDate: string, manager?: EntityManager): Promise<Map<string, Judged>> {
    const [records, blocks] = await Promise.all([
      this.facts.records(personIds, onDate, manager),
      this.ethics.blocks(personIds, onDate, 'program', manager),
    ]);
    const judged = new Map<string, Judged>();
    for (const [personId, record] of records) {
      const unmet = unmetConditions(program.eligibility, { ...record, ethicsBlockedUntil: blocks.get(personId)?.blocksUntil ?? null }, onDate);
      judged.set(personId, { record, unmet });
    }
    return judged;
  }

  /** The unmet conditions in words, e.g. "年龄 41 岁，超过本计划上限 40 岁". */
  async reasons(unmet: UnmetCondition[], locale: Locale): Promise<IneligibleReason[]> {
    const stages = unmet.some((u) => u.code === 'stage_not_allowed') ? await this.facts.stageNames() : new Map();
    const list = (values: string[], word: (v: string) => string) => values.map(word).join(locale === 'en' ? ', ' : '、');
    return unmet.map((u) => {
      const p = u.params;
      const words: Record<string, string | number> = {};
      for (const [key, value] of Object.entries(p)) if (!Array.isArray(value)) words[key] = value;
      if (Array.isArray(p.posts)) words.posts = list(p.posts, (v) => translate(locale, `people.post.${v}`));
      if (Array.isArray(p.honours)) words.honours = list(p.honours, (v) => translate(locale, `people.honour.${v}`));
      if (Array.isArray(p.stages)) words.stages = list(p.stages, (v) => (locale === 'en' ? stages.get(v)?.en : stages.get(v)?.zh) ?? v);
      if (u.code === 'title_below_min') words.min = translate(locale, `people.title.${String(p.min)}`);
      if (u.code === 'ethics_blocked' && p.until === '9999-12-31') words.until = translate(locale, 'programs.reason.forever');
      return { code: u.code, message: translate(locale, `programs.reason.${u.code}`, words), params: p };
    });
  }
}
