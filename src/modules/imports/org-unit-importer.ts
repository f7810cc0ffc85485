import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrgBulkWriter, type DistrictPlace, type KindergartenWrite, type UnitByCode } from '../org/org-bulk-writer.js';
import { KINDERGARTEN_FIELDS, type KindergartenField } from '../org/org-rules.js';
import { labelKey, problem, type ImportProblem } from './import-kinds-cells.js';
import { changedFields, codeKey, mergedProblems, ORG_UNIT_FIELDS, parseKindergartenRow, type KindergartenDraft } from './org-unit-rows.js';
import type { CheckedRow, ImportApplyContext, ImportField, ImportRunContext, ResultColumn, RowImporter, RowRejection, RowToApply, SourceRow } from './row-importer.js';

/** A group as the rows before this one leave it: its members (kindergarten code → lead) and the name the file gives it. */
interface GroupPlan {
  code: string;
  id: string | null;
  districtId: string;
  dbName: string | null;
  name: string | null;
  nameRow: number | null;
  members: Map<string, boolean>;
}

/** What the dry run stores for a row and `apply` writes. */
interface OrgUnitRowData extends KindergartenWrite {
  changed: string[];
}

const MAX_LEADS = 2;

/** Finds a record by the code as written, else by its upper-case form (the writer's look-up reads both). */
function byCode<T extends { code: string }>(records: T[]): (code: string) => T | undefined {
  const exact = new Map(records.map((r) => [r.code, r]));
  return (code) => exact.get(code) ?? exact.get(code.toUpperCase());
}

/**
 * Kindergartens and their group memberships by code (园所代码), one row per kindergarten, into the
 * caller's district. A cell left empty keeps the current value; the first row naming a new group creates it.
 */
@Injectable()
export class OrgUnitImporter implements RowImporter {
  readonly kind = 'org_units' as const;
  readonly fields: readonly ImportField[] = ORG_UNIT_FIELDS;
  readonly resultColumns: readonly ResultColumn[] = [
    { key: 'code', headerZh: '园所代码', headerEn: 'Code' },
    { key: 'name', headerZh: '园所名称', headerEn: 'Name' },
  ];

  constructor(private readonly org: OrgBulkWriter) {}

  async check(rows: SourceRow[], context: ImportRunContext): Promise<CheckedRow[]> {
    const places = await this.places(context);
    const parsed = rows.map((row) => ({ row, ...parseKindergartenRow(row.values) }));
    const units = byCode(await this.org.unitsByCodes(parsed.map((p) => p.draft.code).filter(Boolean)));
    await this.loadGroups(context, parsed.map((p) => p.draft.groupCode).filter((c): c is string => !!c));
    return parsed.map(({ row, draft, problems }) => this.checkRow(row.rowNumber, draft, problems, units(draft.code), places, context));
  }

  async apply(rows: RowToApply[], context: ImportApplyContext, manager: EntityManager): Promise<RowRejection[]> {
    const writes = rows.map((row) => {
      const { changed: _changed, ...write } = row.data as unknown as OrgUnitRowData;
      return write;
    });
    const refused = await this.org.writeKindergartens(manager, { districtId: context.districtId, userId: context.userId }, writes);
    return refused.map(({ index, problems }) => ({ rowNumber: rows[index].rowNumber, errors: problems }));
  }

  private checkRow(
    rowNumber: number, draft: KindergartenDraft, problems: ImportProblem[], existing: UnitByCode | undefined,
    places: DistrictPlace[], context: ImportRunContext,
  ): CheckedRow {
    const key = codeKey(draft.code);
    if (draft.code) {
      const first = context.seenKeys.get(key);
      if (first !== undefined) problems.push(problem('code', 'DUPLICATE_IN_FILE', `The code is also on row ${first}`, { row: first }));
      else context.seenKeys.set(key, rowNumber);
    }
    const mine = existing && existing.kind === 'kindergarten' && existing.districtId === context.districtId ? existing : undefined;
    if (existing && !mine) {
      problems.push(existing.kind === 'kindergarten'
        ? problem('code', 'ORG_CODE_OTHER_DISTRICT', `The code ${draft.code} belongs to a kindergarten of another district`)
        : problem('code', 'ORG_CODE_TAKEN', `The code ${draft.code} is already used by another org unit`));
    }
    const place = this.placeOf(draft, places, problems);
    if (!draft.town && !existing) problems.push(problem('town', 'REQUIRED_FOR_NEW', 'A new kindergarten needs its town or zone'));
    if (!existing || mine) {
      const merged = { ...(mine ?? {}), ...draft } as Partial<Record<KindergartenField, unknown>>;
      problems.push(...mergedProblems(merged).filter((p) => !problems.some((q) => q.field === p.field)));
    }
    const groupChange = draft.groupCode ? this.groupChange(rowNumber, draft, mine, context, problems) : null;

    const fields = Object.fromEntries(KINDERGARTEN_FIELDS.filter((f) => draft[f] !== undefined).map((f) => [f, draft[f]]));
    const data: OrgUnitRowData = {
      code: mine?.code ?? draft.code, name: draft.name, fields, changed: [],
      ...(place ? { parentId: place.id } : {}),
      ...(draft.groupCode ? { group: { code: groupChange?.code ?? draft.groupCode, name: draft.groupName, isLead: draft.groupLead } } : {}),
    };
    if (problems.length) return { outcome: 'error', matchKey: draft.code || null, errors: problems, data: data as unknown as Record<string, unknown> };

    groupChange?.commit();
    if (mine) {
      data.changed = [...changedFields(mine, draft), ...(place && place.id !== mine.parentId ? ['town'] : []), ...(groupChange?.changed ?? [])];
    }
    const outcome = !mine ? 'create' : data.changed.length ? 'update' : 'unchanged';
    return { outcome, matchKey: data.code, errors: [], data: data as unknown as Record<string, unknown> };
  }

  /** The town or zone of the district the row names, by code or by name. */
  private placeOf(draft: KindergartenDraft, places: DistrictPlace[], problems: ImportProblem[]): DistrictPlace | undefined {
    if (!draft.town) return undefined;
    const wanted = labelKey(draft.town);
    const byCode = places.filter((p) => labelKey(p.code) === wanted);
    const matches = byCode.length ? byCode : places.filter((p) => labelKey(p.name) === wanted);
    if (matches.length === 1) return matches[0];
    problems.push(matches.length
      ? problem('town', 'ORG_TOWN_AMBIGUOUS', `Several towns or zones are called ${draft.town}; give the code`, { value: draft.town })
      : problem('town', 'ORG_TOWN_UNKNOWN', `No town or zone ${draft.town} in the district`, { value: draft.town }));
    return undefined;
  }

  /** Checks the row's group membership against the group as the earlier rows leave it; `commit` records it once the row is sure. */
  private groupChange(rowNumber: number, draft: KindergartenDraft, mine: UnitByCode | undefined, context: ImportRunContext, problems: ImportProblem[]) {
    const plan = context.cache.get(`group:${codeKey(draft.groupCode!)}`) as GroupPlan;
    const count = problems.length;
    if (plan.districtId !== context.districtId) {
      problems.push(problem('groupCode', 'GROUP_CODE_OTHER_DISTRICT', `The group code ${draft.groupCode} belongs to another district`));
      return null;
    }
    if (!plan.id && !plan.name && !draft.groupName) problems.push(problem('groupName', 'GROUP_NAME_REQUIRED', 'A new group needs its name on its first row'));
    if (draft.groupName && plan.nameRow !== null && draft.groupName !== plan.name) {
      problems.push(problem('groupName', 'GROUP_NAME_CONFLICT', `Row ${plan.nameRow} gives the group another name`, { row: plan.nameRow }));
    }
    if (mine?.groupCode && codeKey(mine.groupCode) !== codeKey(plan.code)) {
      problems.push(problem('groupCode', 'KINDERGARTEN_IN_OTHER_GROUP', `The kindergarten already belongs to group ${mine.groupCode}`, { group: mine.groupCode }));
    }
    const member = codeKey(draft.code);
    const wasMember = plan.members.has(member);
    const isLead = draft.groupLead ?? plan.members.get(member) ?? false;
    const leads = [...plan.members].filter(([code, lead]) => code !== member && lead).length + (isLead ? 1 : 0);
    if (leads > MAX_LEADS) {
      problems.push(problem('groupLead', 'GROUP_LEAD_COUNT', `Group ${plan.code} would have ${leads} lead kindergartens; at most ${MAX_LEADS}`, { group: plan.code, count: leads }));
    }
    const renames = !!draft.groupName && plan.nameRow === null && draft.groupName !== (plan.dbName ?? plan.name);
    const changed = [
      ...(!wasMember ? ['groupCode'] : plan.members.get(member) !== isLead ? ['groupLead'] : []),
      ...(renames && plan.id ? ['groupName'] : []),
    ];
    return {
      code: plan.code,
      changed: problems.length > count ? [] : changed,
      commit: () => {
        plan.members.set(member, isLead);
        if (draft.groupName && plan.nameRow === null) Object.assign(plan, { name: draft.groupName, nameRow: rowNumber });
      },
    };
  }

  private async places(context: ImportRunContext): Promise<DistrictPlace[]> {
    if (!context.cache.has('org:places')) context.cache.set('org:places', (await this.org.districtPlaces(context.districtId)) ?? []);
    return context.cache.get('org:places') as DistrictPlace[];
  }

  /** The file's groups as they stand in the database, loaded once per dry run. */
  private async loadGroups(context: ImportRunContext, codes: string[]): Promise<void> {
    const missing = [...new Set(codes.map(codeKey))].filter((key) => !context.cache.has(`group:${key}`));
    if (!missing.length) return;
    const found = byCode(await this.org.groupsByCodes(codes));
    for (const key of missing) {
      const written = codes.find((c) => codeKey(c) === key)!;
      const group = found(written);
      const plan: GroupPlan = group
        ? { code: group.code, id: group.id, districtId: group.districtId, dbName: group.name, name: group.name, nameRow: null, members: new Map(group.members.map((m) => [codeKey(m.code), m.isLead])) }
        : { code: written, id: null, districtId: context.districtId, dbName: null, name: null, nameRow: null, members: new Map() };
      context.cache.set(`group:${key}`, plan);
    }
  }
}
