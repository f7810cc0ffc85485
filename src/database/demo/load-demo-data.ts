import type { Client, PoolClient } from 'pg';
import { buildDemoDataset, CITY_CODE, DEFAULT_DEMO_SEED, DISTRICT_CODE, type DemoDataset } from './demo-data.js';

export interface ProtectedValue {
  enc: string;
  hash: string;
  masked: string;
}

export interface LoadDemoDataOptions {
  /** Hashes the demo password once, given to every demo login; called only when the district is loaded. */
  hashPassword: () => Promise<string>;
  protect: (plain: string) => ProtectedValue;
  protectPhone: (plain: string) => ProtectedValue;
  seed?: number;
}

/** Serialises concurrent loaders (two processes booting at once) on one key. */
const DEMO_DATA_LOCK_KEY = 7_202_601_010;

/** Target table, then `column:pgType` pairs; each value is read from the row's camelCase field. */
const TABLES: ReadonlyArray<readonly [Exclude<keyof DemoDataset, 'people' | 'users'> | 'peopleRows' | 'userRows', string, string]> = [
  ['orgUnits', 'org_unit', 'id:uuid parent_id:uuid kind:text path:text depth:int district_id:uuid code:text name:text name_en:text ownership:text inclusive:boolean grade:text status:text founded_year:int opening_year:int kindergarten_classes:int nursery_classes:int children_enrolled:int address:text'],
  ['groups', 'kindergarten_group', 'id:uuid district_id:uuid code:text name:text'],
  ['groupMembers', 'kindergarten_group_member', 'group_id:uuid kindergarten_id:uuid is_lead:boolean joined_on:date'],
  ['peopleRows', 'person', 'id:uuid district_id:uuid full_name:text gender:text birth_date:date national_id_enc:text national_id_hash:text national_id_masked:text phone_enc:text phone_hash:text phone_masked:text education_level:text preschool_major:boolean hire_date:date teacher_stage:text principal_stage:text current_org_unit_id:uuid current_post:text'],
  ['employments', 'employment', 'id:uuid person_id:uuid org_unit_id:uuid district_id:uuid post:text start_date:date end_date:date note:text'],
  ['titleRecords', 'title_record', 'id:uuid person_id:uuid title:text effective_date:date approving_body:text'],
  ['certificates', 'person_certificate', 'id:uuid person_id:uuid kind:text number:text issuer:text issued_on:date expires_on:date'],
  ['honours', 'person_honour', 'id:uuid person_id:uuid honour:text name:text awarded_on:date awarded_by:text expires_on:date'],
  ['stageRecords', 'stage_record', 'id:uuid person_id:uuid kind:text stage:text effective_date:date'],
  ['userRows', 'app_user', 'id:uuid username:text person_id:uuid display_name:text password_hash:text locale:text'],
  ['roleAssignments', 'role_assignment', 'id:uuid user_id:uuid role:text org_unit_id:uuid group_id:uuid'],
  ['creditConversionRules', 'credit_conversion_rule', 'id:uuid region_id:uuid hours_per_credit_centralised:numeric hours_per_credit_other:numeric effective_from:date'],
  ['courses', 'course', 'id:uuid district_id:uuid owner_org_unit_id:uuid code:text title:text description:text provider:text category:text tags:text[] level:text mode:text hours:numeric credits:numeric credits_from_rule:boolean audience:jsonb status:text'],
  ['courseTrainers', 'course_trainer', 'course_id:uuid user_id:uuid'],
  ['offerings', 'offering', 'id:uuid course_id:uuid district_id:uuid code:text label:text capacity:int kindergarten_quota:int enrol_opens_at:timestamptz enrol_closes_at:timestamptz withdraw_deadline:timestamptz approval_mode:text priority_tiers:jsonb waitlist_mode:text offer_expiry_hours:int min_attendance_share:numeric status:text'],
  ['offeringTrainers', 'offering_trainer', 'offering_id:uuid user_id:uuid'],
  ['meetings', 'meeting', 'id:uuid offering_id:uuid district_id:uuid title:text starts_at:timestamptz ends_at:timestamptz place:text online_url:text hours:numeric'],
  ['materials', 'material', 'id:uuid offering_id:uuid kind:text title:text url:text body:text sort_order:int required:boolean'],
  ['enrollments', 'enrollment', 'id:uuid offering_id:uuid course_id:uuid person_id:uuid district_id:uuid kindergarten_id:uuid level:text status:text approval_step:text priority_tier:int requested_at:timestamptz status_changed_at:timestamptz'],
  ['enrollmentEvents', 'enrollment_event', 'enrollment_id:uuid district_id:uuid to_status:text at:timestamptz'],
  ['rubrics', 'rubric', 'id:uuid district_id:uuid owner_user_id:uuid method:text name:text description:text criteria:jsonb max_points:numeric'],
  ['assessmentItems', 'assessment_item', 'id:uuid offering_id:uuid district_id:uuid kind:text title:text instructions:text position:int submission_modes:text[] due_at:timestamptz late_policy:text late_penalty_percent:int allowed_file_types:text[] max_file_bytes:int grading_method:text rubric_id:uuid max_points:numeric pass_points:numeric second_marking:boolean questions:jsonb'],
  ['completionRules', 'completion_rule', 'id:uuid offering_id:uuid district_id:uuid effective_from:timestamptz min_attendance_share:numeric required_item_ids:uuid[] require_evaluation:boolean'],
  ['programs', 'program', 'id:uuid district_id:uuid kind:text tier:text code:text name_zh:text name_en:text description:text round:int cycle_years:int starts_on:date ends_on:date eligibility:jsonb criteria:jsonb trim_from_reviewers:int district_quota:int kindergarten_quota:int group_quota:int reserve_size:int applications_open_at:timestamptz applications_close_at:timestamptz credits:numeric hours:numeric credit_category:text credit_level:text honour_name:text contest_posts:text[] status:text selection_closed_at:timestamptz created_by:uuid'],
  ['programTeams', 'program_team', 'id:uuid program_id:uuid district_id:uuid name:text host_person_id:uuid base_org_unit_id:uuid base_name:text plan:jsonb plan_updated_at:timestamptz required_course_ids:uuid[] credit_target:numeric'],
  ['programMembers', 'program_member', 'id:uuid program_id:uuid district_id:uuid person_id:uuid team_id:uuid status:text joined_on:date'],
  ['programMilestones', 'program_milestone', 'id:uuid team_id:uuid title:text due_on:date done_on:date note:text'],
  ['programOutputs', 'program_output', 'id:uuid program_id:uuid team_id:uuid person_id:uuid district_id:uuid kind:text title:text description:text occurred_on:date file_ids:uuid[] status:text review_comment:text reviewed_by:uuid reviewed_at:timestamptz created_by:uuid'],
];

/**
 * Loads the Qingpu demo district in one transaction. Does nothing (created: false) when the
 * district already exists; every insert also skips rows already present, so a repeat is harmless.
 * `counts` are the rows inserted per table.
 */
export async function loadDemoData(client: PoolClient | Client, options: LoadDemoDataOptions): Promise<{ created: boolean; counts: Record<string, number> }> {
  const counts: Record<string, number> = Object.fromEntries(TABLES.map(([, table]) => [table, 0]));
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${DEMO_DATA_LOCK_KEY})`);
    const existing = await client.query('SELECT 1 FROM org_unit WHERE code = $1', [DISTRICT_CODE]);
    if (existing.rowCount) {
      await client.query('COMMIT');
      return { created: false, counts };
    }
    const dataset = buildDemoDataset(options.seed ?? DEFAULT_DEMO_SEED);
    const city = await client.query<{ id: string }>('SELECT id FROM org_unit WHERE code = $1', [CITY_CODE]);
    if (city.rowCount) reparentUnderCity(dataset, city.rows[0].id);
    const passwordHash = await options.hashPassword();
    const rows = { ...dataset, peopleRows: personRows(dataset, options), userRows: dataset.users.map((u) => ({ ...u, passwordHash })) };
    for (const [source, table, columns] of TABLES) {
      counts[table] = await insertRows(client, table, columns, rows[source]);
    }
    await client.query('COMMIT');
    return { created: true, counts };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** People with encrypted identifiers and the kindergarten and post of their current employment. */
function personRows(dataset: DemoDataset, options: LoadDemoDataOptions): object[] {
  const current = new Map(dataset.employments.filter((e) => e.endDate === null).map((e) => [e.personId, e]));
  return dataset.people.map(({ nationalId, phone, ...person }) => {
    const id = options.protect(nationalId);
    const tel = options.protectPhone(phone);
    return {
      ...person,
      nationalIdEnc: id.enc, nationalIdHash: id.hash, nationalIdMasked: id.masked,
      phoneEnc: tel.enc, phoneHash: tel.hash, phoneMasked: tel.masked,
      currentOrgUnitId: current.get(person.id)?.orgUnitId ?? null,
      currentPost: current.get(person.id)?.post ?? null,
    };
  });
}

/** Another district of Shanghai created the city first: hang Qingpu under that city row instead. */
function reparentUnderCity(dataset: DemoDataset, cityId: string): void {
  const ours = dataset.orgUnits.find((u) => u.kind === 'city');
  if (!ours || ours.id === cityId) return;
  dataset.orgUnits = dataset.orgUnits.filter((u) => u !== ours).map((u) => ({
    ...u,
    parentId: u.parentId === ours.id ? cityId : u.parentId,
    path: u.path.replace(`/${ours.id}/`, `/${cityId}/`),
  }));
  // The city's credit rule is already there, or belongs to that city row.
  dataset.creditConversionRules = dataset.creditConversionRules.map((r) => (r.regionId === ours.id ? { ...r, regionId: cityId } : r));
}

/**
 * One INSERT … SELECT FROM unnest(arrays) per table: a single round trip however many rows.
 * unnest would flatten an array of arrays, so array and `jsonb` values travel as JSON text.
 */
async function insertRows(client: PoolClient | Client, table: string, spec: string, rows: readonly object[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = spec.split(' ').map((pair) => {
    const [column, type] = pair.split(':');
    return { column, type, field: column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) };
  });
  const asJson = (type: string) => type.endsWith('[]') || type === 'jsonb';
  const values = columns.map(({ field, type }) => rows.map((row) => {
    if (!(field in row)) throw new Error(`Demo data: ${table} row has no ${field}`);
    const value = (row as Record<string, unknown>)[field];
    return asJson(type) && value !== null ? JSON.stringify(value) : value;
  }));
  const selected = columns.map((c, i) => (c.type.endsWith('[]') ? `ARRAY(SELECT jsonb_array_elements_text(v.c${i}))::${c.type}` : `v.c${i}`));
  const result = await client.query(
    `INSERT INTO ${table} (${columns.map((c) => c.column).join(', ')})
     SELECT ${selected.join(', ')}
       FROM unnest(${columns.map((c, i) => `$${i + 1}::${asJson(c.type) ? 'jsonb' : c.type}[]`).join(', ')})
         AS v(${columns.map((_, i) => `c${i}`).join(', ')})
     ON CONFLICT DO NOTHING`,
    values,
  );
  return result.rowCount ?? 0;
}
