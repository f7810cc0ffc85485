import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { AccessContext, type Grant } from '../../common/access-context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { OrgService } from './org.service.js';
import type { OrgTreeQuery, OrgUnitRow } from './org-tree.query.js';

/** A mock whose every method throws unless the test gave it an answer: nothing is called by accident. */
function strict<T extends object>(answers: Partial<Record<keyof T, unknown>>): T {
  return new Proxy({} as T, {
    get: (_, key) => {
      if (key === 'then') return undefined;
      if (key in answers) return answers[key as keyof T];
      throw new Error(`unexpected call: ${String(key)}`);
    },
  });
}

const unit = (id: string, path: string, kind: OrgUnitRow['kind'] = 'kindergarten'): OrgUnitRow => ({
  id, kind, parentId: null, path, depth: path.split('/').length - 3, districtId: 'd', code: id.toUpperCase(), name: id, nameEn: null,
  ownership: 'public', inclusive: true, grade: 'first', status: 'operating', foundedYear: null, openingYear: null,
  kindergartenClasses: null, nurseryClasses: null, childrenEnrolled: null, address: null, version: 1, updatedAt: new Date(0),
});
const access = (role: Grant['role'], paths: string[]) =>
  new AccessContext('u', 's', 'user', 'User', null, 'zh-CN', [{ role, orgUnitId: 'x', groupId: null, orgPaths: paths }], false);

describe('OrgService scope decisions', () => {
  const k1 = unit('k1', '/c/d/t/k1/');
  const k2 = unit('k2', '/c/d/t/k2/');
  const town = unit('t', '/c/d/t/', 'town');
  const manager = { query: jest.fn() };
  const db = strict<DataSource>({ transaction: (_: unknown, work: (m: unknown) => unknown) => work(manager) });
  const audit = strict<AuditService>({});

  it('answers NOT_FOUND for a unit outside the caller\'s scope, before reading anything else', async () => {
    const queries = strict<OrgTreeQuery>({ unit: jest.fn(async () => k2) });
    const service = new OrgService(db, queries, audit);
    await expect(service.detail(access('kindergarten_admin', [k1.path]), 'k2')).rejects.toBeInstanceOf(NotFound);
  });

  it('answers an empty page without a query when the caller reads nowhere', async () => {
    const service = new OrgService(db, strict<OrgTreeQuery>({}), audit);
    await expect(service.list(access('teacher', []), {}, 1, 25)).resolves.toEqual({ items: [], total: 0, page: 1, pageSize: 25 });
  });

  it('refuses a move into the unit\'s own subtree and a move by a reader without write access', async () => {
    const zone = unit('z', '/c/d/t/z/', 'zone');
    const queries = strict<OrgTreeQuery>({ lockUnits: jest.fn(async () => [town, zone]) });
    const service = new OrgService(db, queries, audit);
    await expect(service.move(access('district_admin', ['/c/d/']), 't', 'z')).rejects.toMatchObject({ code: 'ORG_MOVE_INTO_SELF', status: 400 });
    await expect(service.move(access('trainer', ['/c/d/']), 't', 'z')).rejects.toBeInstanceOf(Forbidden);
  });

  it('refuses a kindergarten under a kindergarten, naming parentId, without inserting', async () => {
    const queries = strict<OrgTreeQuery>({ unit: jest.fn(async () => k1) });
    const service = new OrgService(db, queries, audit);
    const dto = { kind: 'kindergarten' as const, parentId: 'k1', code: 'K9', name: '园', ownership: 'public' as const, inclusive: true, grade: 'first' as const, status: 'operating' as const };
    const error = await service.create(access('district_admin', ['/c/d/']), dto).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).problems).toEqual([expect.objectContaining({ field: 'parentId', code: 'ORG_KIND_NOT_ALLOWED' })]);
    expect(manager.query).not.toHaveBeenCalled();
  });
});
