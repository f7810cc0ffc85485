import { jest } from '@jest/globals';
import { AccessContext, type Grant } from '../../common/access-context.js';
import type { Role } from '../auth/auth.entities.js';
import { PeopleService } from './people.service.js';
import { PersonNotFound } from './people-errors.js';
import type { Person } from './person.entity.js';
import type { OrgUnitRef } from '../org/org-scope.service.js';

const DISTRICT: OrgUnitRef = { id: 'd', kind: 'district', path: '/c/d/', districtId: 'd', name: '青浦区', status: null };
const KG: OrgUnitRef = { id: 'k1', kind: 'kindergarten', path: '/c/d/t/k1/', districtId: 'd', name: '一号园', status: 'operating' };
const person = {
  id: 'p1', districtId: 'd', fullName: '王芳', gender: 'female', birthDate: '1990-01-01', nationalIdEnc: 'enc-id', nationalIdHash: 'h',
  nationalIdMasked: '310***********1234', phoneEnc: 'enc-phone', phoneHash: 'ph', phoneMasked: '139****0000', educationLevel: 'bachelor',
  preschoolMajor: true, hireDate: '2012-08-01', teacherStage: null, principalStage: null, currentOrgUnitId: 'k1', currentPost: 'teacher', version: 3,
} as unknown as Person;

function caller(role: Role, orgPaths: string[], personId: string | null = null): AccessContext {
  const grant: Grant = { role, orgUnitId: 'x', groupId: null, orgPaths };
  return new AccessContext('u1', 's1', 'user', 'User', personId, 'zh-CN', [grant], false);
}

/** Only the calls the service is expected to make exist; anything else fails the test. */
function build() {
  const mocks = {
    people: { findOneBy: jest.fn(async () => person) },
    query: { histories: jest.fn(async () => ({ employments: [], titles: [], certificates: [], honours: [], stages: [] })) },
    org: { units: jest.fn(async () => new Map([['k1', KG], ['d', DISTRICT]])) },
    cipher: { decrypt: jest.fn((value: string) => (value === 'enc-id' ? '310118199001011234' : '13900000000')) },
    audit: { record: jest.fn(async () => undefined) },
  };
  const service = new PeopleService({} as never, mocks.people as never, mocks.query as never, mocks.org as never, mocks.cipher as never, mocks.audit as never, {} as never);
  return { service, ...mocks };
}

describe('PeopleService.record', () => {
  it('gives a kindergarten admin the masked record without decrypting or auditing', async () => {
    const { service, cipher, audit } = build();
    const record = await service.record(caller('kindergarten_admin', [KG.path]), 'p1');
    expect(record).toMatchObject({ nationalId: '310***********1234', phone: '139****0000', sensitiveRevealed: false, viewerCanEdit: true });
    expect(record).not.toHaveProperty('nationalIdEnc');
    expect(cipher.decrypt).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('reveals national ID and phone to district HR and records the read in the audit log', async () => {
    const { service, audit } = build();
    const record = await service.record(caller('district_admin', [DISTRICT.path]), 'p1');
    expect(record).toMatchObject({ nationalId: '310118199001011234', phone: '13900000000', sensitiveRevealed: true });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith('u1', 'read_sensitive', 'person', 'p1', 'd', null, { fields: ['nationalId', 'phone'] });
  });

  it('keeps district HR on the masked view when the page did not ask to reveal', async () => {
    const { service, audit, cipher } = build();
    expect((await service.record(caller('district_admin', [DISTRICT.path]), 'p1', { reveal: false })).sensitiveRevealed).toBe(false);
    expect(cipher.decrypt).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('answers not found outside the caller\'s scope, for readers without write access too', async () => {
    const { service, audit } = build();
    await expect(service.record(caller('kindergarten_admin', ['/c/d/t/k2/']), 'p1')).rejects.toBeInstanceOf(PersonNotFound);
    const group = await service.record(caller('group_admin', [KG.path]), 'p1');
    expect(group.viewerCanEdit).toBe(false);
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('shows staff their own record masked, whatever their permissions', async () => {
    const { service, cipher, people } = build();
    const own = await service.ownRecord(caller('district_admin', [DISTRICT.path], 'p1'));
    expect(own.sensitiveRevealed).toBe(false);
    expect(people.findOneBy).toHaveBeenCalledWith({ id: 'p1' });
    expect(cipher.decrypt).not.toHaveBeenCalled();
    await expect(service.ownRecord(caller('teacher', [], null))).rejects.toBeInstanceOf(PersonNotFound);
  });
});
