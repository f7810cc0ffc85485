import { buildDemoDataset, type DemoDataset } from './demo-data.js';

describe('the demo catalog', () => {
  let data: DemoDataset;
  beforeAll(() => {
    data = buildDemoDataset();
  });

  it('converts 10 学时 to 1 学分 in Shanghai from 2021 and gives every course its credits by that rule', () => {
    const city = data.orgUnits.find((u) => u.kind === 'city')!;
    expect(data.creditConversionRules).toEqual([expect.objectContaining({ regionId: city.id, hoursPerCreditCentralised: 10, hoursPerCreditOther: 10, effectiveFrom: '2021-01-01' })]);
    for (const course of data.courses) expect(course).toMatchObject({ credits: course.hours / 10, creditsFromRule: true });
  });

  it('covers the four credit categories and three levels, with 园本 courses of the first kindergarten', () => {
    expect(data.courses.length).toBeGreaterThanOrEqual(12);
    expect(new Set(data.courses.map((c) => c.category))).toEqual(new Set(['ethics', 'knowledge_skills', 'practice', 'self_study']));
    expect(new Set(data.courses.map((c) => c.level))).toEqual(new Set(['city', 'district', 'kindergarten']));
    const k001 = data.orgUnits.find((u) => u.code === 'SH-QP-K001')!;
    const district = data.orgUnits.find((u) => u.kind === 'district')!;
    const own = data.courses.filter((c) => c.level === 'kindergarten');
    expect(own.length).toBeGreaterThanOrEqual(2);
    expect(own.every((c) => c.ownerOrgUnitId === k001.id)).toBe(true);
    expect(data.courses.filter((c) => c.level !== 'kindergarten').every((c) => c.ownerOrgUnitId === district.id)).toBe(true);
    expect(new Set(data.courses.map((c) => c.code)).size).toBe(data.courses.length);
  });

  it('schedules published offerings from December 2026 to June 2027, each with a meeting or (online) a material, none overlapping', () => {
    expect(data.offerings.length).toBeGreaterThanOrEqual(15);
    const trainer = data.users.find((u) => u.username === 'trainer')!;
    expect(data.offeringTrainers.some((t) => t.userId === trainer.id)).toBe(true);
    for (const offering of data.offerings) {
      const course = data.courses.find((c) => c.id === offering.courseId)!;
      const meetings = data.meetings.filter((m) => m.offeringId === offering.id).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      const materials = data.materials.filter((m) => m.offeringId === offering.id);
      expect(course.status).toBe('published');
      expect(meetings.length > 0 || (course.mode === 'online' && materials.length > 0)).toBe(true);
      expect(offering.enrolOpensAt >= '2026-11-01').toBe(true);
      expect(offering.enrolClosesAt > offering.enrolOpensAt).toBe(true);
      meetings.forEach((m, i) => {
        expect(m.startsAt >= '2026-12-01' && m.endsAt < '2027-07-01').toBe(true);
        expect(m.place ?? m.onlineUrl).toBeTruthy();
        expect(m.hours).toBe((Date.parse(m.endsAt) - Date.parse(m.startsAt)) / 3600_000);
        if (i > 0) expect(m.startsAt >= meetings[i - 1].endsAt).toBe(true);
      });
    }
  });
});
