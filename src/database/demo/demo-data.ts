import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from './demo-catalog.js';
import { buildEnrollments } from './demo-enrollments.js';
import { buildAssessment } from './demo-assessment.js';
import { buildOrg, type OperatingKindergartenRow, type PlannedKindergartenRow } from './demo-org.js';
import { buildStaff } from './demo-people.js';
import { buildPrograms } from './demo-programs.js';
import type { DemoDataset } from './demo-types.js';
import { buildUsers } from './demo-users.js';

export type * from './demo-types.js';
export { CITY_CODE, DISTRICT_CODE } from './demo-org.js';
export { DEMO_USERNAMES } from './demo-users.js';
export { AS_OF as DEMO_AS_OF, DEMO_TODAY } from './demo-dates.js';

export const DEFAULT_DEMO_SEED = 20260101;

/**
 * The Qingpu demo district as plain rows with fixed ids: the org tree from the plan's annex
 * tables (data/*.csv), seven kindergarten groups, about a thousand staff with their records,
 * their logins, the training catalog and the 8th round's programs. Pure: the same seed always gives the same dataset.
 */
export function buildDemoDataset(seed = DEFAULT_DEMO_SEED): DemoDataset {
  const dataDir = join(projectRoot(), 'data');
  const operating = readCsv(join(dataDir, 'qingpu-kindergartens.csv')).map((row): OperatingKindergartenRow => ({
    no: Number(row.no), name: row.name, town: row.town,
  }));
  const planned = readCsv(join(dataDir, 'qingpu-new-kindergartens.csv')).map((row): PlannedKindergartenRow => ({
    no: Number(row.no), name: row.name, town: row.town,
    kindergartenClasses: Number(row.kindergarten_classes), nurseryClasses: Number(row.nursery_classes), openYear: Number(row.open_year),
  }));
  const org = buildOrg(seed, operating, planned);
  const staff = buildStaff(seed, org);
  const { users, roleAssignments } = buildUsers(org, staff.members);
  const catalog = buildCatalog(org, users);
  const learning = buildEnrollments(staff.members, users, catalog);
  return {
    orgUnits: org.orgUnits,
    groups: org.groups,
    groupMembers: org.groupMembers,
    people: staff.people,
    employments: staff.employments,
    titleRecords: staff.titleRecords,
    certificates: staff.certificates,
    honours: staff.honours,
    stageRecords: staff.stageRecords,
    users,
    roleAssignments,
    ...catalog,
    ...learning,
    ...buildAssessment(catalog, users, learning.enrollments),
    ...buildPrograms(org, staff.members, users, catalog),
  };
}

/** The nearest folder above this module holding package.json, in the source tree and in dist/ alike. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Demo data: no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** The annex tables are plain comma-separated text without quoting; a header row names the fields. */
function readCsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  const fields = header.split(',').map((f) => f.trim());
  return lines.map((line) => {
    const values = line.split(',');
    if (values.length !== fields.length) throw new Error(`Demo data: ${file} has a malformed line: ${line}`);
    return Object.fromEntries(fields.map((field, i) => [field, values[i].trim()]));
  });
}
