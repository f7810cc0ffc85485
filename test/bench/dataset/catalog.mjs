// The training offer: courses owned by the city, the districts and some kindergartens, their offerings over
// ten past half-year terms and the current one, three meetings each, and each offering's completion rule.
// Fills the temp table bench_offering for the enrolment step.
import { randomUUID } from 'node:crypto';
import { copyRows, rng } from './copy.mjs';
import { GRADEBOOK, MEETINGS_PER_OFFERING, RUSH } from './scales.mjs';

const TOPICS = ['户外自主游戏的观察与支持', '幼小衔接与入学准备', '师德师风专题研修', '幼儿园课程领导力', '区域活动环境创设', '幼儿行为观察与记录',
  '家园共育沟通技巧', '集体教学活动设计', '保育员岗位技能', '卫生保健与营养膳食', '特殊需要儿童融合教育', '信息化教学能力提升',
  '绘本阅读与早期语言', '科学探究活动指导', '幼儿心理健康教育', '园本教研组织与实施', '安全教育与应急处置', '艺术领域教学实践'];
const CATEGORIES = [['ethics', 20], ['knowledge_skills', 35], ['practice', 35], ['self_study', 10]];
const AUDIENCES = [[{}, 55], [{ posts: ['teacher'] }, 15], [{ posts: ['caregiver'] }, 8], [{ posts: ['health', 'nutrition'] }, 4],
  [{ teacherStages: ['novice'] }, 4], [{ teacherStages: ['competent', 'backbone'] }, 5], [{ titles: ['second', 'first'] }, 4], [{ ownerships: ['private'] }, 5]];
const PAST_TERMS = 10;
const DAY = 86_400_000;

/** Terms 0-9: the half-years 2021-2025 (enrolment closed); term 10-11: now (enrolment open, meetings ahead). */
function schedule(r, term, now) {
  if (term < PAST_TERMS) {
    const start = Date.UTC(2021 + Math.floor(term / 2), term % 2 ? 8 : 2, 1) + r.int(0, 90) * DAY;
    return { opens: start - 30 * DAY, closes: start - 3 * DAY, first: start, current: false };
  }
  const opens = now - r.int(1, 20) * DAY;
  const closes = now + r.int(10, 40) * DAY;
  return { opens, closes, first: closes + r.int(3, 20) * DAY, current: true };
}

export async function loadCatalog(client, size, { city, districts, kindergartens, seed = 20261 }) {
  const r = rng(seed);
  const now = Date.now();
  const courses = [];
  for (let i = 0; i < size.courses; i++) {
    const owner = r.weighted([['city', 15], ['district', 75], ['kindergarten', 10]]);
    const district = districts[i % districts.length];
    const kg = owner === 'kindergarten' ? r.pick(kindergartens.filter((k) => k.districtId === district.id)) : null;
    const hours = r.pick([6, 9, 12, 15, 18, 24]);
    courses.push({
      id: randomUUID(), districtId: owner === 'city' ? city.id : district.id, ownerId: owner === 'city' ? city.id : kg ? kg.id : district.id,
      code: `C${String(i + 1).padStart(5, '0')}`, title: `${r.pick(TOPICS)}（${2021 + (i % 6)}-${(i % 40) + 1}）`, category: r.weighted(CATEGORIES),
      level: owner === 'kindergarten' ? 'kindergarten' : owner === 'city' ? 'city' : r.weighted([['district', 85], ['city', 15]]),
      mode: r.weighted([['offline', 60], ['online', 20], ['hybrid', 20]]), hours, credits: Math.round((hours / 6) * 100) / 100,
      audience: kg ? {} : r.weighted(AUDIENCES), tags: [r.pick(['游戏', '观察', '师德', '保育', '课程', '教研', '安全', '阅读'])],
      provider: owner === 'city' ? '上海市教师教育学院' : kg ? kg.name : `${district.name}教师进修学院`,
    });
  }
  // The bench fixtures, in district 1: a course open to everyone for the enrolment rush, and one for the gradebook.
  const fixture = (codeText, title) => ({ id: randomUUID(), districtId: districts[0].id, ownerId: districts[0].id, code: codeText, title, category: 'knowledge_skills',
    level: 'district', mode: 'offline', hours: 12, credits: 2, audience: {}, tags: ['基准测试'], provider: `${districts[0].name}教师进修学院` });
  const rushCourse = fixture(RUSH.course, '基准测试：报名高峰');
  const gradebookCourse = fixture(GRADEBOOK.course, '基准测试：成绩册');
  courses.push(rushCourse, gradebookCourse);
  await copyRows(client, 'course', ['id', 'district_id', 'owner_org_unit_id', 'code', 'title', 'description', 'provider', 'category', 'tags', 'level', 'mode', 'hours', 'credits', 'audience', 'status'],
    courses.map((c) => [c.id, c.districtId, c.ownerId, c.code, c.title, `${c.title}：专题培训。`, c.provider, c.category, c.tags, c.level, c.mode, c.hours, c.credits, c.audience, 'published']));

  const offerings = [];
  const regular = courses.slice(0, size.courses);
  for (let i = 0; i < size.offerings; i++) {
    const course = regular[i % regular.length];
    const t = i % 12;
    const when = schedule(r, t, now);
    const perOffering = Math.round(size.enrollments / size.offerings);
    const waitlistMode = r.weighted([['auto', 70], ['offer', 20], ['none', 10]]);
    offerings.push({
      id: randomUUID(), course, code: `O${String(i + 1).padStart(5, '0')}`, label: `第${(i % 9) + 1}期`, when,
      capacity: when.current ? Math.round(perOffering * 0.9) : perOffering, approvalMode: r.weighted([['none', 70], ['kindergarten', 30]]),
      waitlistMode, offerExpiryHours: waitlistMode === 'offer' ? 48 : null, status: when.current ? 'published' : t < 8 ? 'closed' : 'published',
    });
  }
  const open = { opens: now - DAY, closes: now + 30 * DAY, first: now + 40 * DAY, current: true };
  const fixtureOffering = (course, codeText, capacity) => ({ id: randomUUID(), course, code: codeText, label: '基准测试', when: open, capacity,
    approvalMode: 'none', waitlistMode: 'auto', offerExpiryHours: null, status: 'published', fixture: true });
  offerings.push(fixtureOffering(rushCourse, RUSH.offering, RUSH.capacity), fixtureOffering(rushCourse, RUSH.floorOffering, RUSH.capacity),
    fixtureOffering(gradebookCourse, GRADEBOOK.offering, GRADEBOOK.learners));
  const at = (ms) => new Date(ms);
  await copyRows(client, 'offering', ['id', 'course_id', 'district_id', 'code', 'label', 'capacity', 'enrol_opens_at', 'enrol_closes_at', 'withdraw_deadline',
    'approval_mode', 'waitlist_mode', 'offer_expiry_hours', 'min_attendance_share', 'status', 'created_at'],
  offerings.map((o) => [o.id, o.course.id, o.course.districtId, o.code, o.label, o.capacity, at(o.when.opens), at(o.when.closes), at(o.when.closes),
    o.approvalMode, o.waitlistMode, o.offerExpiryHours, 0.8, o.status, at(o.when.opens - 10 * DAY)]));

  function* meetings() {
    for (const o of offerings) {
      const hours = Math.min(24, o.course.hours / MEETINGS_PER_OFFERING);
      for (let m = 0; m < MEETINGS_PER_OFFERING; m++) {
        // 09:00 Shanghai (01:00 UTC), a week apart.
        const start = Math.floor(o.when.first / DAY) * DAY + m * 7 * DAY + 3_600_000;
        yield [randomUUID(), o.id, o.course.districtId, `第${m + 1}次`, at(start), at(start + hours * 3_600_000), o.course.mode === 'online' ? null : '进修学院报告厅',
          o.course.mode === 'offline' ? null : 'https://meeting.example.cn/room', hours];
      }
    }
  }
  await copyRows(client, 'meeting', ['id', 'offering_id', 'district_id', 'title', 'starts_at', 'ends_at', 'place', 'online_url', 'hours'], meetings());
  await copyRows(client, 'completion_rule', ['offering_id', 'district_id', 'effective_from', 'min_attendance_share'],
    offerings.map((o) => [o.id, o.course.districtId, at(o.when.opens - 10 * DAY), 0.8]));

  await client.query(`CREATE TEMP TABLE bench_offering (n int PRIMARY KEY, id uuid, course_id uuid, district_id uuid, owner text, level text, current boolean, capacity int, requested_from timestamptz, ended_at timestamptz)`);
  await copyRows(client, 'bench_offering', ['n', 'id', 'course_id', 'district_id', 'owner', 'level', 'current', 'capacity', 'requested_from', 'ended_at'],
    offerings.filter((o) => !o.fixture).map((o, i) => [i + 1, o.id, o.course.id, o.course.districtId, o.course.districtId === city.id ? 'city' : 'district', o.course.level,
      o.when.current, o.capacity, at(o.when.opens), at(o.when.first + 3 * 7 * DAY)]));
  return { offerings: offerings.length, courses: courses.length };
}
