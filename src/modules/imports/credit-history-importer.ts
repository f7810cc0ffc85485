import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { shanghaiDate } from '../../common/dates.js';
import { amountProblem } from '../credits/ledger-rules.js';
import { LedgerImportWriter, type ImportedEntry, type ImportedPerson } from '../credits/ledger-import.writer.js';
import { ageProblem, CREDIT_HISTORY_FIELDS, importSourceKey, ledgerProblem, parseCreditHistoryRow, sameName, type CreditHistoryDraft } from './credit-history-rows.js';
import { problem, type ImportProblem } from './import-kinds-cells.js';
import type { CheckedRow, ImportApplyContext, ImportField, ImportRunContext, ResultColumn, RowImporter, RowRejection, RowToApply, SourceRow } from './row-importer.js';

/** What the dry run stores for a row (no full national ID) and `apply` writes. */
interface CreditHistoryRowData extends ImportedEntry {
  nationalIdMasked: string;
  fullName: string;
  creditsConverted: boolean;
}

/**
 * Credit entries from the previous platform or the provincial platform (one row per entry) into the
 * ledger as `import` entries naming their source, for people of the caller's district found by national ID.
 */
@Injectable()
export class CreditHistoryImporter implements RowImporter {
  readonly kind = 'credit_history' as const;
  readonly fields: readonly ImportField[] = CREDIT_HISTORY_FIELDS;
  readonly resultColumns: readonly ResultColumn[] = [
    { key: 'fullName', headerZh: '姓名', headerEn: 'Name' },
    { key: 'nationalIdMasked', headerZh: '身份证号(隐去)', headerEn: 'National ID (masked)' },
    { key: 'title', headerZh: '培训项目名称', headerEn: 'Training' },
    { key: 'occurredOn', headerZh: '完成日期', headerEn: 'Completed on' },
    { key: 'credits', headerZh: '学分', headerEn: 'Credits' },
  ];

  constructor(private readonly ledger: LedgerImportWriter) {}

  async check(rows: SourceRow[], context: ImportRunContext): Promise<CheckedRow[]> {
    const today = shanghaiDate();
    const parsed = rows.map((row) => ({ row, ...parseCreditHistoryRow(row.values, today) }));
    const validIds = parsed.map((p) => p.draft.nationalId).filter(Boolean);
    const people = await this.ledger.peopleByNationalId(context.districtId, validIds);
    const checked: Array<{ problems: ImportProblem[]; data: CreditHistoryRowData | null; sourceKey: string | null }> = [];
    for (const { row, draft, problems } of parsed) {
      const hash = draft.nationalId ? this.ledger.nationalIdHash(draft.nationalId) : null;
      const person = hash ? people.get(hash) : undefined;
      // The key only means something for a row whose cells all parsed.
      const sourceKey = hash && !problems.length ? importSourceKey(context.districtId, hash, draft) : null;
      if (hash && !person) problems.push(problem('nationalId', 'PERSON_NOT_FOUND', 'No one with this national ID in the district'));
      const credits = person ? await this.credits(person, draft, problems, context) : null;
      if (person) this.personProblems(person, draft, problems);
      if (sourceKey) {
        const first = context.seenKeys.get(sourceKey);
        if (first !== undefined) problems.push(problem(draft.externalId ? 'externalId' : 'title', 'DUPLICATE_IN_FILE', `The same entry is on row ${first}`, { row: first }));
        else context.seenKeys.set(sourceKey, row.rowNumber);
      }
      checked.push({ problems, sourceKey, data: person && sourceKey && credits !== null ? this.rowData(person, draft, credits, sourceKey) : null });
    }
    const recorded = await this.ledger.recordedKeys(checked.map((c) => c.sourceKey).filter((k): k is string => !!k));
    return checked.map(({ problems, data, sourceKey }, i): CheckedRow => {
      if (problems.length || !data) {
        const { nationalId: _id, ...shown } = parsed[i].draft;
        return { outcome: 'error', matchKey: sourceKey, errors: problems, data: { ...shown, ...(data ?? {}) } };
      }
      return { outcome: recorded.has(data.sourceKey) ? 'unchanged' : 'create', matchKey: data.sourceKey, errors: [], data: data as unknown as Record<string, unknown> };
    });
  }

  async apply(rows: RowToApply[], context: ImportApplyContext, manager: EntityManager): Promise<RowRejection[]> {
    const entries = rows.map((row) => {
      const { nationalIdMasked: _masked, fullName: _name, creditsConverted: _converted, ...entry } = row.data as unknown as CreditHistoryRowData;
      return entry;
    });
    const { personGone } = await this.ledger.insert(manager, context.districtId, context.userId, entries);
    return personGone.map((index) => ({
      rowNumber: rows[index].rowNumber,
      errors: [problem('nationalId', 'PERSON_NOT_FOUND', 'The person has left the district since the dry run')],
    }));
  }

  /** The row's credits: as given, or converted from the hours by the region's rule like any award without credits. */
  private async credits(person: ImportedPerson, draft: CreditHistoryDraft, problems: ImportProblem[], context: ImportRunContext): Promise<number | null> {
    if (draft.credits !== null) return draft.credits;
    if (problems.some((p) => p.field === 'hours' || p.field === 'occurredOn')) return null;
    const converted = await this.ledger.creditsFor(person.orgPath, draft.hours, draft.occurredOn, context.cache);
    if (converted === null) {
      problems.push(problem('credits', 'CREDITS_RULE_MISSING', 'No hours-to-credits rule applies here; give the credits'));
      return null;
    }
    const bad = amountProblem('credits', converted);
    if (bad) problems.push(ledgerProblem(bad));
    return converted;
  }

  private personProblems(person: ImportedPerson, draft: CreditHistoryDraft, problems: ImportProblem[]): void {
    if (draft.fullName && !sameName(draft.fullName, person.fullName)) {
      problems.push(problem('fullName', 'NAME_MISMATCH', 'The name differs from the person with this national ID'));
    }
    const tooEarly = draft.occurredOn ? ageProblem(draft.occurredOn, person.birthDate) : null;
    if (tooEarly) problems.push(tooEarly);
  }

  private rowData(person: ImportedPerson, draft: CreditHistoryDraft, credits: number, sourceKey: string): CreditHistoryRowData {
    return {
      personId: person.personId, nationalIdMasked: person.nationalIdMasked, fullName: person.fullName, sourceKey,
      title: draft.title, hours: draft.hours, credits, creditsConverted: draft.credits === null, category: draft.category, level: draft.level,
      occurredOn: draft.occurredOn, importedSource: draft.importedSource, externalId: draft.externalId,
    };
  }
}
