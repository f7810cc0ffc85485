import type { StaffMember } from './demo-careers.js';
import { DEMO_TODAY, addDays, isoDate, yearOf } from './demo-dates.js';
import type { DemoOrg } from './demo-org.js';
import { demoUuid } from './demo-random.js';
import type {
  DemoCatalog, DemoProgram, DemoProgramMember, DemoProgramMilestone, DemoProgramOutput, DemoProgramTeam, DemoPrograms, DemoUser,
} from './demo-types.js';
import { DEMO_USERNAMES } from './demo-users.js';

const ROUND = 8;
/** Staff of the first kindergartens hold the named logins and are the ones tests pick first: the team comes from further down the list. */
const FIRST_KINDERGARTEN_INDEX = 20;
const TALENT_MEMBERS = 4;

/** Shanghai wall-clock time as an ISO instant. */
const at = (date: string, time: string) => `${date}T${time}:00+08:00`;

/** The suggested scoring of the program form (README: 师德表现 20 / 专业素养 30 / 教育教学实绩 30 / 发展潜力 20). */
const COHORT_CRITERIA = [
  { code: 'ethics', nameZh: '师德表现', nameEn: 'Professional ethics', maxScore: 20, weight: 1 },
  { code: 'competence', nameZh: '专业素养', nameEn: 'Professional competence', maxScore: 30, weight: 1 },
  { code: 'results', nameZh: '教育教学实绩', nameEn: 'Teaching results', maxScore: 30, weight: 1 },
  { code: 'potential', nameZh: '发展潜力', nameEn: 'Potential', maxScore: 20, weight: 1 },
];

const PLAN = {
  basis: '团队主持人为高级教师，长期深耕幼儿园科学探究活动；四名学员均为一级教师、区骨干，具备一定的课题研究经验，但在课程审议与成果提炼方面仍需提升。',
  goals: '三年内形成一套基于儿童立场的科学探究活动课例资源；每名学员主持或参与一项区级课题，至少展示一次区级公开课，成长为区学科带头人后备人选。',
  content: '一、儿童科学学习的观察与解读；二、科学探究活动的设计与实施；三、课程审议与园本教研的组织；四、行动研究方法与成果提炼。',
  schedule: '第一年：理论研修与现场观摩，完成研修方案论证；第二年：课例研磨与中期成果展示；第三年：课题结题、成果汇编与辐射交流。每月一次集中研修，每学期一次跨园展示。',
  expectedOutputs: '科学探究活动课例集一册；区级课题四项；区级及以上公开课不少于四节；研究论文不少于四篇，其中至少一篇在区级以上刊物发表。',
};

/**
 * Qingpu's 8th round of 名优教师培养工程 as the demo shows it on DEMO_TODAY: the talent program
 * (拔尖计划) running since March with one team (a senior-title host, four backbone teachers, a plan
 * in five parts, two milestones and one accepted output), the seed program (种子计划) taking
 * applications, and the caregivers' skills contest (保育员技能大赛) taking entries.
 */
export function buildPrograms(org: DemoOrg, members: StaffMember[], users: DemoUser[], catalog: DemoCatalog): DemoPrograms {
  const year = yearOf(DEMO_TODAY);
  const creator = users.find((u) => u.username === DEMO_USERNAMES.districtAdmin)!.id;
  const base = {
    districtId: org.districtId, round: ROUND, trimFromReviewers: 5, groupQuota: null, selectionClosedAt: null as string | null,
    creditCategory: 'practice' as const, creditLevel: 'district' as const, contestPosts: [] as string[], createdBy: creator,
  };

  const seed: DemoProgram = {
    ...base, id: demoUuid('program:seed:8'), kind: 'cohort', tier: 'seed', code: `QP-R${ROUND}-SEED`,
    nameZh: `青浦区第八届名优教师培养工程·种子计划`, nameEn: `Qingpu 8th round: seed program`,
    description: '面向 40 周岁以下、有发展潜力的青年教师，以研修团队形式开展为期三年的培养，优先考虑青年高级教师、业务竞赛获奖者和区新秀教师。',
    cycleYears: 3, startsOn: isoDate(year + 1, 1, 1), endsOn: isoDate(year + 3, 12, 31),
    eligibility: { maxAge: 40, posts: ['teacher'], minYearsOfService: 3, noEthicsBlock: true }, criteria: COHORT_CRITERIA,
    districtQuota: 65, kindergartenQuota: 3, reserveSize: 5,
    applicationsOpenAt: at(addDays(DEMO_TODAY, -15), '00:00'), applicationsCloseAt: at(addDays(DEMO_TODAY, 45), '17:00'),
    credits: 12, hours: 120, honourName: '青浦区第八届种子计划学员', status: 'published',
  };

  const talentStart = isoDate(year, 3, 1);
  const talent: DemoProgram = {
    ...base, id: demoUuid('program:talent:8'), kind: 'cohort', tier: 'talent', code: `QP-R${ROUND}-TALENT`,
    nameZh: `青浦区第八届名优教师培养工程·拔尖计划`, nameEn: `Qingpu 8th round: talent program`,
    description: '面向具有一级及以上职称的骨干教师，由高级教师主持研修团队，三年内培养一批区学科带头人后备人选。',
    cycleYears: 3, startsOn: talentStart, endsOn: isoDate(year + 3, 2, 28),
    eligibility: { maxAge: 45, posts: ['teacher'], minTitle: 'first', stages: ['backbone'], noEthicsBlock: true }, criteria: COHORT_CRITERIA,
    districtQuota: 33, kindergartenQuota: 2, reserveSize: 3,
    applicationsOpenAt: at(isoDate(year, 1, 5), '00:00'), applicationsCloseAt: at(isoDate(year, 2, 5), '17:00'),
    selectionClosedAt: at(isoDate(year, 2, 20), '10:00'),
    credits: 15, hours: 150, honourName: '青浦区第八届拔尖计划学员', status: 'running',
  };

  const contestDay = addDays(DEMO_TODAY, 29);
  const contest: DemoProgram = {
    ...base, id: demoUuid(`program:contest:caregiver:${year}`), kind: 'contest', tier: 'contest', round: null, code: `QP-${year}-CAREGIVER-CONTEST`,
    nameZh: `${year}年青浦区保育员技能大赛`, nameEn: `Qingpu caregivers' skills contest ${year}`,
    description: '全区保育员岗位技能大赛：理论知识笔试、生活照料实操与突发情况处置三个环节，以赛促训、以赛促学。',
    cycleYears: 1, startsOn: contestDay, endsOn: addDays(contestDay, 1),
    eligibility: {}, criteria: [
      { code: 'theory', nameZh: '理论知识', nameEn: 'Knowledge test', maxScore: 30, weight: 1 },
      { code: 'care', nameZh: '生活照料实操', nameEn: 'Daily care practice', maxScore: 50, weight: 1 },
      { code: 'emergency', nameZh: '突发情况处置', nameEn: 'Emergency handling', maxScore: 20, weight: 1 },
    ],
    districtQuota: null, kindergartenQuota: null, reserveSize: 0,
    applicationsOpenAt: at(addDays(DEMO_TODAY, -6), '00:00'), applicationsCloseAt: at(addDays(DEMO_TODAY, 24), '17:00'),
    credits: 1, hours: 8, honourName: `${year}年青浦区保育员技能大赛`, status: 'published', contestPosts: ['caregiver'],
  };

  return { programs: [seed, talent, contest], ...talentTeam(org, members, users, catalog, talent) };
}

/** The talent program's one team: a senior-title host at a demonstration kindergarten and four backbone teachers of four kindergartens. */
function talentTeam(org: DemoOrg, staff: StaffMember[], logins: DemoUser[], catalog: DemoCatalog, program: DemoProgram): Omit<DemoPrograms, 'programs'> {
  const year = yearOf(program.startsOn);
  const userOf = (personId: string) => logins.find((u) => u.personId === personId)!.id;
  const named = new Set(logins.filter((u) => u.username === DEMO_USERNAMES.teacher || u.username === DEMO_USERNAMES.kindergartenAdmin).map((u) => u.personId));
  const later = new Set(org.kindergartens.slice(FIRST_KINDERGARTEN_INDEX).map((k) => k.unit.id));
  const title = (m: StaffMember) => m.titles.at(-1)?.title ?? null;
  const pool = staff.filter((m) => m.post === 'teacher' && later.has(m.kindergarten.unit.id) && !named.has(m.person.id));
  const host = pool.find((m) => title(m) === 'senior' && ['city_demonstration', 'district_demonstration'].includes(m.kindergarten.unit.grade ?? ''))
    ?? pool.find((m) => title(m) === 'senior');
  if (!host) throw new Error('Demo data: no senior-title teacher to host the talent team');
  const chosen: StaffMember[] = [];
  for (const m of pool) {
    if (chosen.length === TALENT_MEMBERS) break;
    const age = year - yearOf(m.person.birthDate);
    if (m === host || title(m) !== 'first' || m.person.teacherStage !== 'backbone' || age > 45) continue;
    if (chosen.some((c) => c.kindergarten.unit.id === m.kindergarten.unit.id)) continue;
    chosen.push(m);
  }
  if (chosen.length < TALENT_MEMBERS) throw new Error('Demo data: too few backbone teachers for the talent team');
  const teamId = demoUuid(`program-team:${program.id}:1`);
  const advanced = catalog.courses.find((c) => c.code === 'QP26-KS-04');
  const teams: DemoProgramTeam[] = [{
    id: teamId, programId: program.id, districtId: program.districtId, name: `${host.person.fullName}科学探究研修团队`, hostPersonId: host.person.id,
    baseOrgUnitId: host.kindergarten.unit.id, baseName: `${host.kindergarten.unit.name}拔尖教师研修基地`, plan: PLAN,
    planUpdatedAt: at(isoDate(year, 3, 20), '16:00'), requiredCourseIds: advanced ? [advanced.id] : [], creditTarget: 15,
  }];
  const programMembers: DemoProgramMember[] = chosen.map((m) => ({
    id: demoUuid(`program-member:${program.id}:${m.person.id}`), programId: program.id, districtId: program.districtId, personId: m.person.id,
    teamId, status: 'active', joinedOn: program.startsOn,
  }));
  const milestones: DemoProgramMilestone[] = [
    { id: demoUuid(`program-milestone:${teamId}:1`), teamId, title: '研修方案论证', dueOn: isoDate(year, 4, 30), doneOn: isoDate(year, 4, 28), note: '邀请区教研员参与论证，方案已按意见修改。' },
    { id: demoUuid(`program-milestone:${teamId}:2`), teamId, title: '中期成果展示', dueOn: isoDate(year + 1, 6, 30), doneOn: null, note: '每名学员展示一节科学探究活动并汇报课题进展。' },
  ];
  const author = chosen[0];
  const programOutputs: DemoProgramOutput[] = [{
    id: demoUuid(`program-output:${teamId}:1`), programId: program.id, teamId, personId: author.person.id, districtId: program.districtId,
    kind: 'public_lesson', title: '大班科学探究活动《会跳舞的盐》区级公开课',
    description: '在研修基地面向全区大班教师展示，围绕声音与振动开展探究，课后进行集体研讨。',
    occurredOn: addDays(DEMO_TODAY, -32), fileIds: [], status: 'accepted', reviewComment: null,
    reviewedBy: userOf(host.person.id), reviewedAt: at(addDays(DEMO_TODAY, -27), '15:30'), createdBy: userOf(author.person.id),
  }];
  return { programTeams: teams, programMembers, programMilestones: milestones, programOutputs };
}
