import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { shanghaiDate } from '../../common/dates.js';
import { FieldCipher } from '../../common/field-cipher.js';
import { maskNationalId, maskPhone } from '../../common/national-id.js';
import { PeopleBulkWriter, type StaffBatch } from '../people/people-bulk-writer.js';
import { problem } from './import-kinds-cells.js';
import { ImportsQuery, type KindergartenByCode } from './imports.query.js';
import type { CheckedRow, ImportApplyContext, ImportRunContext, ResultColumn, RowImporter, RowRejection, RowToApply, SourceRow } from './row-importer.js';
import { mergeBatch, planStaffRow, type StaffRowData } from './staff-plan.js';
import { parseStaffRow, STAFF_FIELDS, type StaffDraft } from './staff-rows.js';

const KINDERGARTENS = 'staff:kindergartens';
const CERTIFICATES_SEEN = 'staff:certificates';

/**
 * Staff, one row per person, matched by national ID (its lookup hash): a new person with employment,
 * title and certificates, or the changes to one on record in the caller's district.
 */
@Injectable()
export class StaffImporter implements RowImporter {
  readonly kind = 'staff' as const;
  readonly fields = STAFF_FIELDS;
  readonly resultColumns: readonly ResultColumn[] = [
    { key: 'fullName', headerZh: '姓名', headerEn: 'Name' },
    { key: 'nationalIdMasked', headerZh: '身份证号（隐去中间位）', headerEn: 'National ID (masked)' },
    { key: 'kindergartenCode', headerZh: '园所代码', headerEn: 'Kindergarten code' },
  ];

  constructor(private readonly writer: PeopleBulkWriter, private readonly query: ImportsQuery, private readonly cipher: FieldCipher) {}

  async check(rows: SourceRow[], context: ImportRunContext): Promise<CheckedRow[]> {
    const today = shanghaiDate();
    const kindergartens = await this.kindergartens(context);
    const certificatesSeen = (context.cache.get(CERTIFICATES_SEEN) ?? new Map()) as Map<string, number>;
    context.cache.set(CERTIFICATES_SEEN, certificatesSeen);

    const parsed = rows.map((row) => {
      const { draft, problems } = parseStaffRow(row.values, today);
      const hash = draft.nationalId ? this.cipher.lookupHash(draft.nationalId) : null;
      if (hash) {
        const first = context.seenKeys.get(hash);
        if (first !== undefined) problems.push(problem('nationalId', 'DUPLICATE_IN_FILE', `The same national ID is on row ${first}`, { row: first }));
        else context.seenKeys.set(hash, row.rowNumber);
      }
      for (const certificate of draft.certificates) {
        const key = `${certificate.kind}:${certificate.number}`;
        const first = certificatesSeen.get(key);
        if (first !== undefined) problems.push(problem(certificate.field, 'DUPLICATE_IN_FILE', `The same certificate number is on row ${first}`, { row: first }));
        else certificatesSeen.set(key, row.rowNumber);
      }
      const kindergarten = draft.kindergartenCode ? kindergartens.get(draft.kindergartenCode) : undefined;
      if (draft.kindergartenCode && !kindergarten) {
        problems.push(problem('kindergartenCode', 'UNKNOWN_KINDERGARTEN', `No kindergarten ${draft.kindergartenCode} in your district`, { value: draft.kindergartenCode }));
      } else if (kindergarten?.status === 'closed') {
        problems.push(problem('kindergartenCode', 'KINDERGARTEN_CLOSED', `Kindergarten ${draft.kindergartenCode} is closed`, { value: draft.kindergartenCode }));
      }
      return { row, draft, problems, hash, kindergarten };
    });

    const valid = parsed.filter((p) => !p.problems.length);
    const states = await this.writer.currentState(valid.map((p) => p.hash!));
    const holders = await this.writer.certificateHolders(valid.flatMap((p) => p.draft.certificates));
    return parsed.map(({ draft, problems, hash, kindergarten }): CheckedRow => {
      const shown = { fullName: draft.fullName, nationalIdMasked: draft.nationalId ? maskNationalId(draft.nationalId) : '', kindergartenCode: draft.kindergartenCode };
      if (problems.length) return { outcome: 'error', matchKey: hash, errors: problems, data: shown };
      const data = this.rowData(draft, hash!, kindergarten!);
      const plan = planStaffRow(data, states.get(hash!) ?? null, holders, context.districtId);
      if (plan.problems.length) return { outcome: 'error', matchKey: hash, errors: plan.problems, data: shown };
      if (plan.create) return { outcome: 'create', matchKey: hash, errors: [], data: data as unknown as Record<string, unknown> };
      if (!plan.changes.length) return { outcome: 'unchanged', matchKey: hash, errors: [], data: shown };
      return { outcome: 'update', matchKey: hash, errors: [], data: { ...data, changes: plan.changes } as unknown as Record<string, unknown> };
    });
  }

  /** Re-plans each row against the people as they are now (locked), so a row applied twice writes nothing the second time. */
  async apply(rows: RowToApply[], context: ImportApplyContext, manager: EntityManager): Promise<RowRejection[]> {
    const data = rows.map((row) => ({ rowNumber: row.rowNumber, data: row.data as unknown as StaffRowData }));
    const states = await this.writer.currentState(data.map((d) => d.data.nationalIdHash), manager, true);
    const holders = await this.writer.certificateHolders(data.flatMap((d) => d.data.certificates), manager);
    const batch: StaffBatch = { newPeople: [], changes: [], employments: [], titles: [], certificates: [] };
    const rejections: RowRejection[] = [];
    for (const { rowNumber, data: row } of data) {
      const plan = planStaffRow(row, states.get(row.nationalIdHash) ?? null, holders, context.districtId);
      if (plan.problems.length) rejections.push({ rowNumber, errors: plan.problems });
      else mergeBatch(batch, plan.batch);
    }
    await this.writer.write(manager, batch);
    return rejections;
  }

  private rowData(draft: StaffDraft, hash: string, kindergarten: KindergartenByCode): StaffRowData {
    return {
      fullName: draft.fullName, nationalIdHash: hash, nationalIdEnc: this.cipher.encrypt(draft.nationalId), nationalIdMasked: maskNationalId(draft.nationalId),
      gender: draft.gender, birthDate: draft.birthDate,
      phone: draft.phone ? { enc: this.cipher.encrypt(draft.phone), hash: this.cipher.lookupHash(draft.phone), masked: maskPhone(draft.phone) } : null,
      educationLevel: draft.educationLevel!, preschoolMajor: draft.preschoolMajor ?? null, hireDate: draft.hireDate ?? null,
      kindergartenId: kindergarten.id, kindergartenCode: kindergarten.code, post: draft.post!, postStartDate: draft.postStartDate!,
      title: draft.title ?? null, certificates: draft.certificates, changes: [],
    };
  }

  /** The district's kindergartens by upper-case code, loaded once per dry run. */
  private async kindergartens(context: ImportRunContext): Promise<Map<string, KindergartenByCode>> {
    if (!context.cache.has(KINDERGARTENS)) {
      const list = await this.query.kindergartensOf(context.districtId);
      context.cache.set(KINDERGARTENS, new Map(list.map((k) => [k.code.toUpperCase(), k])));
    }
    return context.cache.get(KINDERGARTENS) as Map<string, KindergartenByCode>;
  }
}
