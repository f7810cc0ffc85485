// The city's org tree and its staff: org units, groups, people (national IDs encrypted the app's way), employment,
// titles, certificates, honours, stages, logins and roles. Made here and streamed with COPY; also fills the session's
// temp tables bench_kg and bench_person that the bulk SQL steps join on.
import { randomUUID } from 'node:crypto';
import { copyRows, rng } from './copy.mjs';
import { CITY_ADMIN, DISTRICT_ADMIN, DISTRICT_NAMES, GROUPS_PER_DISTRICT, TOWNS_PER_DISTRICT } from './scales.mjs';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '静丽敏芳婷雪慧玲洁颖晨欣怡佳琳倩燕艳娟霞琴云莉萍红梅兰凤洁蓉萱瑶璐佩雯悦菲妍楠宁露晶'.split('');
const TOWN_NAMES = ['街道', '镇'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (s) => '10X98765432'[[...s].reduce((sum, d, i) => sum + Number(d) * WEIGHTS[i], 0) % 11];
const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (date, days) => new Date(date.getTime() + days * 86_400_000);
const code = (n, width) => String(n).padStart(width, '0');

/** Titles skew low; a kindergarten marked as a gap has nobody above 一级 (the seeds' target gap). */
const TEACHER_TITLES = [[null, 10], ['third', 20], ['second', 33], ['first', 27], ['senior', 9.5], ['professorial', 0.5]];
const PRINCIPAL_TITLES = [['first', 40], ['senior', 55], ['professorial', 5]];
const TITLE_ORDER = ['third', 'second', 'first', 'senior', 'professorial'];

function postOf(r, size) {
  if (r === 0) return 'principal';
  if (r === 1 && size >= 20) return 'vice_principal';
  const slot = r % 10;
  if (slot <= 6) return 'teacher';
  if (slot <= 8) return 'caregiver';
  return ['health', 'nutrition', 'other'][Math.floor(r / 10) % 3];
}

/** Org units, groups, people and everything hanging off them; `cipher` is the app's FieldCipher with the bench key. */
export async function loadOrgAndPeople(client, size, { cipher, maskNationalId, passwordHash, seed = 20260 }) {
  const r = rng(seed);
  const org = [];
  const unit = (kind, parent, codeText, name, extra = {}) => {
    const id = randomUUID();
    const row = { id, kind, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0,
      districtId: kind === 'city' ? null : kind === 'district' ? id : parent.districtId, code: codeText, name, ...extra };
    org.push(row);
    return row;
  };
  const city = unit('city', null, 'SH', '上海市', { nameEn: 'Shanghai' });
  const districts = [];
  const kindergartens = [];
  const groups = [];
  const members = [];
  const perDistrict = Math.round(size.kindergartens / size.districts);
  for (let d = 0; d < size.districts; d++) {
    const [name, nameEn] = DISTRICT_NAMES[d];
    const dc = `SH-B${code(d + 1, 2)}`;
    const district = unit('district', city, dc, name, { nameEn: `${nameEn} District` });
    districts.push(district);
    const towns = Array.from({ length: TOWNS_PER_DISTRICT }, (_, t) =>
      unit('town', district, `${dc}-T${code(t + 1, 2)}`, `${name.slice(0, 2)}第${t + 1}${TOWN_NAMES[t % 2]}`));
    const local = [];
    for (let k = 0; k < perDistrict; k++) {
      const lead = k < GROUPS_PER_DISTRICT;
      const ownership = !lead && k % 8 === 7 ? 'private' : 'public';
      // Some public, non-lead kindergartens are left without any senior title (the coverage gap).
      const seniorGap = ownership === 'public' && !lead && r.chance(0.15);
      const grade = lead ? r.pick(['city_demonstration', 'district_demonstration'])
        : seniorGap ? r.weighted([['second', 5], ['third', 2], ['unrated', 1]])
          : ownership === 'public' ? r.weighted([['first', 5], ['second', 4], ['third', 1]]) : r.weighted([['second', 2], ['third', 2], ['unrated', 1]]);
      const classes = r.int(6, 15);
      const kg = unit('kindergarten', towns[k % TOWNS_PER_DISTRICT], `${dc}-K${code(k + 1, 3)}`, `${name.slice(0, 2)}${r.pick(GIVEN)}${r.pick(GIVEN)}幼儿园${k + 1}`, {
        ownership, inclusive: ownership === 'public' || r.chance(0.6), grade, status: 'operating', foundedYear: r.int(1960, 2022),
        kindergartenClasses: classes, nurseryClasses: r.int(0, 3), childrenEnrolled: classes * r.int(25, 32), address: `${name}${r.int(1, 999)}号`,
        seniorGap, districtN: d,
      });
      local.push(kg);
      kindergartens.push(kg);
    }
    // Seven groups: a demonstration kindergarten leading eight to ten members.
    const publicMembers = local.filter((k) => k.ownership === 'public' && !local.slice(0, GROUPS_PER_DISTRICT).includes(k));
    for (let g = 0; g < GROUPS_PER_DISTRICT; g++) {
      const group = { id: randomUUID(), districtId: district.id, code: `${dc}-G${g + 1}`, name: `${name}第${g + 1}学前教育集团` };
      groups.push(group);
      members.push([group.id, local[g].id, true, '2021-09-01']);
      for (const m of publicMembers.slice(g * 9, g * 9 + r.int(8, 10))) members.push([group.id, m.id, false, '2022-09-01']);
    }
  }
  await copyRows(client, 'org_unit', ['id', 'kind', 'parent_id', 'path', 'depth', 'district_id', 'code', 'name', 'name_en', 'ownership', 'inclusive', 'grade', 'status',
    'founded_year', 'kindergarten_classes', 'nursery_classes', 'children_enrolled', 'address'],
  org.map((u) => [u.id, u.kind, u.parentId, u.path, u.depth, u.districtId, u.code, u.name, u.nameEn ?? null, u.ownership ?? null, u.inclusive ?? null, u.grade ?? null,
    u.status ?? null, u.foundedYear ?? null, u.kindergartenClasses ?? null, u.nurseryClasses ?? null, u.childrenEnrolled ?? null, u.address ?? null]));
  await copyRows(client, 'kindergarten_group', ['id', 'district_id', 'code', 'name'], groups.map((g) => [g.id, g.districtId, g.code, g.name]));
  const seenMember = new Set();
  await copyRows(client, 'kindergarten_group_member', ['group_id', 'kindergarten_id', 'is_lead', 'joined_on'],
    members.filter(([, k]) => !seenMember.has(k) && seenMember.add(k)));
  await client.query(`INSERT INTO credit_conversion_rule (region_id, hours_per_credit_centralised, hours_per_credit_other, effective_from) VALUES ($1, 6, 8, '2021-01-01')`, [city.id]);

  // People: contiguous blocks per kindergarten, so a district's staff are a contiguous range of n.
  const people = [];
  const K = kindergartens.length;
  for (let k = 0; k < K; k++) {
    const kg = kindergartens[k];
    const first = Math.floor((k * size.staff) / K);
    const count = Math.floor(((k + 1) * size.staff) / K) - first;
    for (let i = 0; i < count; i++) {
      const n = first + i + 1;
      const post = postOf(i, count);
      const male = r.chance(post === 'principal' ? 0.1 : 0.04);
      const birth = new Date(Date.UTC(r.int(1968, 2002), r.int(0, 11), r.int(1, 28)));
      const region = `31${code(Math.floor(n / 500) % 10_000, 4)}`;
      const first17 = `${region}${iso(birth).replaceAll('-', '')}${code((n % 500) * 2 + (male ? 1 : 0), 3)}`;
      const nationalId = first17 + checkChar(first17);
      const teaching = post === 'teacher' || post === 'principal' || post === 'vice_principal';
      let title = teaching ? r.weighted(post === 'teacher' ? TEACHER_TITLES : PRINCIPAL_TITLES) : null;
      if (kg.seniorGap && (title === 'senior' || title === 'professorial')) title = 'first';
      const education = teaching ? r.weighted([['bachelor', 55], ['junior_college', 33], ['master', 7], ['secondary_vocational', 5]])
        : r.weighted([['high_school', 30], ['secondary_vocational', 40], ['junior_college', 30]]);
      const hire = addDays(birth, r.int(20 * 365, 24 * 365));
      people.push({
        n, id: randomUUID(), kg, post, title, nationalId, birth, hire, education, male,
        fullName: `${r.pick(SURNAMES)}${r.pick(GIVEN)}${r.chance(0.7) ? r.pick(GIVEN) : ''}`,
        preschool: teaching ? r.chance(0.93) : r.chance(0.3),
        teacherStage: post === 'teacher' ? r.weighted([['novice', 25], ['competent', 50], ['backbone', 25]]) : null,
        principalStage: post === 'principal' ? r.weighted([['growing', 30], ['mature', 50], ['expert', 20]]) : post === 'vice_principal' ? r.weighted([['reserve', 50], ['new', 50]]) : null,
      });
    }
  }
  const phone = (n) => `139${code(n, 8)}`;
  await copyRows(client, 'person', ['id', 'district_id', 'full_name', 'gender', 'birth_date', 'national_id_enc', 'national_id_hash', 'national_id_masked',
    'phone_enc', 'phone_hash', 'phone_masked', 'education_level', 'preschool_major', 'hire_date', 'teacher_stage', 'principal_stage', 'current_org_unit_id', 'current_post'],
  people.map((p) => [p.id, p.kg.districtId, p.fullName, p.male ? 'male' : 'female', iso(p.birth), cipher.encrypt(p.nationalId), cipher.lookupHash(p.nationalId),
    maskNationalId(p.nationalId), cipher.encrypt(phone(p.n)), cipher.lookupHash(phone(p.n)), `139****${phone(p.n).slice(-4)}`,
    p.education, p.preschool, iso(p.hire), p.teacherStage, p.principalStage, p.kg.id, p.post]));

  // Employment: the current post, and for one in five an earlier post at another kindergarten of the district.
  const employment = [];
  for (const p of people) {
    const moved = r.chance(0.2);
    const start = moved ? addDays(p.hire, r.int(365, 8 * 365)) : p.hire;
    if (moved && start < new Date()) {
      const other = kindergartens[(kindergartens.indexOf(p.kg) + 1) % K];
      employment.push([randomUUID(), p.id, other.districtId === p.kg.districtId ? other.id : p.kg.id, p.kg.districtId, p.post === 'vice_principal' ? 'teacher' : p.post, iso(p.hire), iso(addDays(start, -1))]);
    }
    employment.push([randomUUID(), p.id, p.kg.id, p.kg.districtId, p.post, iso(start < new Date() ? start : p.hire), null]);
  }
  await copyRows(client, 'employment', ['id', 'person_id', 'org_unit_id', 'district_id', 'post', 'start_date', 'end_date'], employment);

  // Title history: each title on the way up, four to six years apart.
  const titles = [];
  for (const p of people.filter((x) => x.title)) {
    const top = TITLE_ORDER.indexOf(p.title);
    let at = addDays(p.hire, 365);
    for (let t = Math.max(0, top - 2); t <= top; t++) {
      titles.push([randomUUID(), p.id, TITLE_ORDER[t], iso(at), '上海市中小学（幼儿园）教师职称评审委员会']);
      at = addDays(at, r.int(4 * 365, 6 * 365));
    }
  }
  await copyRows(client, 'title_record', ['id', 'person_id', 'title', 'effective_date', 'approving_body'], titles);

  const certificates = [];
  for (const p of people) {
    const kind = ['teacher', 'principal', 'vice_principal'].includes(p.post) ? 'teacher_qualification' : p.post === 'caregiver' ? 'caregiver' : p.post === 'health' ? 'health_care' : null;
    if (kind && r.chance(0.97)) certificates.push([randomUUID(), p.id, kind, `B${code(p.n, 8)}`, '上海市教育委员会', iso(addDays(p.hire, -30)), null]);
    if (p.post === 'principal' || (p.post === 'vice_principal' && r.chance(0.5))) {
      certificates.push([randomUUID(), p.id, 'principal_training', `P${code(p.n, 8)}`, '上海市教育委员会', iso(addDays(p.hire, 5 * 365)), null]);
    }
  }
  await copyRows(client, 'person_certificate', ['id', 'person_id', 'kind', 'number', 'issuer', 'issued_on', 'expires_on'], certificates);

  const honours = people.filter((p) => p.teacherStage === 'backbone' && r.chance(0.12))
    .map((p) => [randomUUID(), p.id, r.weighted([['district_backbone', 90], ['subject_leader', 9], ['special_teacher', 1]]), null, '2022-09-10', `${p.kg.name.slice(0, 2)}区教育局`]);
  await copyRows(client, 'person_honour', ['id', 'person_id', 'honour', 'name', 'awarded_on', 'awarded_by'], honours);

  const stages = [];
  for (const p of people) {
    if (p.teacherStage) stages.push([randomUUID(), p.id, 'teacher', p.teacherStage, iso(addDays(p.hire, 2 * 365))]);
    if (p.principalStage) stages.push([randomUUID(), p.id, 'principal', p.principalStage, iso(addDays(p.hire, 8 * 365))]);
  }
  await copyRows(client, 'stage_record', ['id', 'person_id', 'kind', 'stage', 'effective_date'], stages);

  // Logins: t00001… one per staff member (teacher role; principals also kindergarten_admin), and the bench admins.
  const users = [];
  const roles = [];
  for (const p of people) {
    p.userId = randomUUID();
    users.push([p.userId, `t${code(p.n, 5)}`, p.id, p.fullName, passwordHash]);
    roles.push([randomUUID(), p.userId, 'teacher', p.kg.id]);
    if (p.post === 'principal') roles.push([randomUUID(), p.userId, 'kindergarten_admin', p.kg.id]);
  }
  const admin = (username, displayName, orgUnitId) => {
    const id = randomUUID();
    users.push([id, username, null, displayName, passwordHash]);
    roles.push([randomUUID(), id, 'district_admin', orgUnitId]);
  };
  admin(CITY_ADMIN, '上海市教育委员会（基准测试）', city.id);
  admin(DISTRICT_ADMIN, `${districts[0].name}教育局（基准测试）`, districts[0].id);
  await copyRows(client, 'app_user', ['id', 'username', 'person_id', 'display_name', 'password_hash'], users);
  await copyRows(client, 'role_assignment', ['id', 'user_id', 'role', 'org_unit_id'], roles);

  // For the SQL steps: kindergartens and people by number, with each district's range of people.
  await client.query(`CREATE TEMP TABLE bench_kg (n int PRIMARY KEY, id uuid, district_n int, district_id uuid)`);
  await copyRows(client, 'bench_kg', ['n', 'id', 'district_n', 'district_id'], kindergartens.map((k, i) => [i + 1, k.id, k.districtN + 1, k.districtId]));
  await client.query(`CREATE TEMP TABLE bench_person (n int PRIMARY KEY, id uuid, district_n int, district_id uuid, kg_id uuid, post text, title text)`);
  await copyRows(client, 'bench_person', ['n', 'id', 'district_n', 'district_id', 'kg_id', 'post', 'title'],
    people.map((p) => [p.n, p.id, p.kg.districtN + 1, p.kg.districtId, p.kg.id, p.post, p.title]));
  await client.query(`CREATE TEMP TABLE bench_district AS SELECT district_n, district_id, min(n) AS first_n, count(*)::int AS size FROM bench_person GROUP BY 1, 2`);
  return { city, districts, kindergartens, counts: { orgUnits: org.length, people: people.length, employment: employment.length, titles: titles.length, users: users.length } };
}
