import type { DemoOrg } from './demo-org.js';
import { demoUuid } from './demo-random.js';
import type {
  DemoCatalog, DemoCourse, DemoCreditConversionRule, DemoMaterial, DemoOffering, DemoUser,
} from './demo-types.js';

/** Shanghai counts 10 学时 as 1 学分 for every kind of training (the rule's own region is the city). */
const HOURS_PER_CREDIT = 10;
const OPENS = '2026-11-01T00:00:00+08:00';
const AFTERNOON: [string, string] = ['13:30', '16:30'];
const EVENING: [string, string] = ['18:30', '20:30'];

type Slot = [date: string, title: string, time?: [string, string]];

interface OfferingPlan {
  code: string;
  label: string;
  capacity: number;
  kindergartenQuota?: number;
  opensAt?: string;
  closesAt: string;
  withdrawDeadline: string;
  approvalMode?: DemoOffering['approvalMode'];
  waitlistMode?: DemoOffering['waitlistMode'];
  offerExpiryHours?: number;
  place?: string;
  onlineUrl?: string;
  meetings: Slot[];
  materials?: Array<[DemoMaterial['kind'], string, string]>;
}

interface CoursePlan {
  code: string;
  title: string;
  description: string;
  provider: string;
  category: DemoCourse['category'];
  tags: string[];
  level: DemoCourse['level'];
  mode: DemoCourse['mode'];
  hours: number;
  audience?: Record<string, string[]>;
  /** Org code of the owning kindergarten for 园本 courses; the district otherwise. */
  owner?: string;
  trainers?: Array<'trainer' | 'expert'>;
  status?: DemoCourse['status'];
  offerings: OfferingPlan[];
}

const COLLEGE = '青浦区教师进修学院 学前教育研训室';
const HALL = '青浦区教师进修学院 报告厅';

const PLANS: CoursePlan[] = [
  {
    code: 'QP26-ETH-01', title: '新时代幼儿园教师职业行为十项准则专题研修', provider: '青浦区教育局', category: 'ethics', level: 'district', mode: 'hybrid', hours: 12,
    tags: ['师德'], trainers: ['trainer'],
    description: '围绕《新时代幼儿园教师职业行为十项准则》开展专题学习、案例研讨与自查反思，落实师德师风第一标准。',
    offerings: [
      { code: '2026-1', label: '第一期', capacity: 120, closesAt: '2026-12-05T17:00:00+08:00', withdrawDeadline: '2026-12-08T17:00:00+08:00', place: HALL,
        onlineUrl: 'https://meeting.example.cn/qp/shide-2026',
        meetings: [['2026-12-10', '准则解读与师德专题报告'], ['2026-12-24', '典型案例研讨'], ['2027-01-07', '线上研讨：师德自查与反思', EVENING], ['2027-01-14', '分组交流与总结']] },
      { code: '2027-1', label: '第二期', capacity: 120, opensAt: '2027-02-01T00:00:00+08:00', closesAt: '2027-03-05T17:00:00+08:00', withdrawDeadline: '2027-03-08T17:00:00+08:00', place: HALL,
        meetings: [['2027-03-11', '准则解读与师德专题报告'], ['2027-03-25', '典型案例研讨'], ['2027-04-08', '分组交流与总结']] },
    ],
  },
  {
    code: 'QP26-ETH-02', title: '师德师风典型案例警示教育（线上）', provider: '上海市教师教育学院', category: 'ethics', level: 'city', mode: 'online', hours: 6,
    tags: ['师德', '警示教育'], trainers: ['expert'],
    description: '通过市级师德失范典型案例的视频解读与在线测试，增强底线意识。线上自主学习，按要求完成全部资料。',
    offerings: [
      { code: '2026-ONLINE', label: '2026 学年线上班', capacity: 2000, closesAt: '2027-05-31T23:59:00+08:00', withdrawDeadline: '2027-05-31T23:59:00+08:00', meetings: [],
        materials: [['video', '典型案例解读（一）', 'https://video.example.cn/shide/case-1'], ['video', '典型案例解读（二）', 'https://video.example.cn/shide/case-2'],
          ['document', '《幼儿园教师违反职业道德行为处理办法》学习材料', 'https://docs.example.cn/shide/rules.pdf']] },
    ],
  },
  {
    code: 'QP26-KS-01', title: '安吉游戏理念下的户外自主游戏观察与支持', provider: '青浦区教师进修学院', category: 'knowledge_skills', level: 'district', mode: 'offline', hours: 18,
    tags: ['安吉游戏', '户外游戏'], audience: { posts: ['teacher'] }, trainers: ['trainer', 'expert'],
    description: '学习安吉游戏“真游戏”理念，在户外两小时活动现场观察幼儿、解读行为并提供适宜支持；含现场观摩与案例撰写。',
    offerings: [
      { code: '2026-1', label: '第一期', capacity: 40, kindergartenQuota: 3, closesAt: '2026-12-01T17:00:00+08:00', withdrawDeadline: '2026-12-04T17:00:00+08:00',
        place: '青浦区实验幼儿园 多功能厅',
        meetings: [['2026-12-07', '安吉游戏的理念与实践'], ['2026-12-14', '户外游戏现场观摩'], ['2026-12-21', '游戏观察记录方法'], ['2027-01-04', '游戏分享与师幼对话'],
          ['2027-01-11', '环境与材料的支持'], ['2027-01-18', '案例交流与总结']] },
      { code: '2027-1', label: '第二期', capacity: 40, kindergartenQuota: 3, opensAt: '2027-02-01T00:00:00+08:00', closesAt: '2027-03-01T17:00:00+08:00',
        withdrawDeadline: '2027-03-04T17:00:00+08:00', place: '青浦区实验幼儿园 多功能厅',
        meetings: [['2027-03-08', '安吉游戏的理念与实践'], ['2027-03-15', '户外游戏现场观摩'], ['2027-03-22', '游戏观察记录方法'], ['2027-03-29', '游戏分享与师幼对话'],
          ['2027-04-12', '环境与材料的支持'], ['2027-04-19', '案例交流与总结']] },
    ],
  },
  {
    code: 'QP26-KS-02', title: '幼小衔接：入学准备教育的实践路径', provider: '青浦区教师进修学院', category: 'knowledge_skills', level: 'district', mode: 'hybrid', hours: 12,
    tags: ['幼小衔接'], audience: { teacherStages: ['competent', 'backbone'] }, trainers: ['trainer'],
    description: '依据《关于大力推进幼儿园与小学科学衔接的指导意见》，研讨身心、生活、社会与学习四方面的入学准备，与小学教师联合教研。',
    offerings: [
      { code: '2026-1', label: '大班教师专题班', capacity: 60, approvalMode: 'kindergarten', closesAt: '2026-12-10T17:00:00+08:00', withdrawDeadline: '2026-12-14T17:00:00+08:00',
        place: COLLEGE, onlineUrl: 'https://meeting.example.cn/qp/yxxj-2026',
        meetings: [['2026-12-16', '入学准备教育的政策与要点'], ['2027-01-06', '幼小联合教研（线上）', EVENING], ['2027-03-10', '大班主题活动设计'], ['2027-04-14', '小学一年级课堂观摩']] },
    ],
  },
  {
    code: 'QP26-KS-03', title: '数字化转型背景下的教师信息化素养提升', provider: '上海市教师教育学院', category: 'knowledge_skills', level: 'city', mode: 'online', hours: 10,
    tags: ['信息化', '数字化转型'], trainers: ['expert'],
    description: '面向数字化转型，学习教育数字资源的检索与整合、幼儿活动的数字化记录与分析，以及市、区两级课程资源平台的使用。',
    offerings: [
      { code: '2026-1', label: '市级网络班', capacity: 300, approvalMode: 'kindergarten_then_district', closesAt: '2026-12-20T17:00:00+08:00',
        withdrawDeadline: '2026-12-25T17:00:00+08:00', onlineUrl: 'https://meeting.example.cn/sh/xinxihua-2026',
        meetings: [['2027-01-05', '直播：教育数字化转型与幼儿园', EVENING], ['2027-03-02', '直播：幼儿活动的数字化记录', EVENING]],
        materials: [['video', '市级课程资源平台操作指南', 'https://video.example.cn/xinxihua/platform'], ['document', '幼儿成长档案数字化案例集', 'https://docs.example.cn/xinxihua/cases.pdf']] },
    ],
  },
  {
    code: 'QP26-KS-04', title: '高质量幼儿园建设：骨干教师专业发展高级研修班', provider: '青浦区教师进修学院', category: 'knowledge_skills', level: 'district', mode: 'offline', hours: 24,
    tags: ['高质量幼儿园', '骨干教师'], audience: { teacherStages: ['backbone'] }, trainers: ['trainer', 'expert'],
    description: '聚焦相对薄弱园和新建园的保教质量提升，以“基于儿童立场的教育支持”为主线，开展专题研修、跟岗实践与成果展示。',
    offerings: [
      { code: '2026-1', label: '高研班', capacity: 30, waitlistMode: 'offer', offerExpiryHours: 48, closesAt: '2026-12-12T17:00:00+08:00',
        withdrawDeadline: '2026-12-15T17:00:00+08:00', place: COLLEGE,
        meetings: [['2026-12-17', '开班仪式与专题讲座'], ['2027-01-13', '基于儿童立场的教育支持'], ['2027-03-17', '新建园跟岗实践'], ['2027-04-21', '课例研讨'],
          ['2027-05-19', '行动研究指导'], ['2027-06-16', '成果展示与结业']] },
    ],
  },
  {
    code: 'QP26-KS-05', title: '民办幼儿园保教质量提升专题培训', provider: '青浦区教育局', category: 'knowledge_skills', level: 'district', mode: 'offline', hours: 9,
    tags: ['保教质量', '民办园'], audience: { ownerships: ['private'] }, trainers: ['trainer'],
    description: '对照《上海市幼儿园办园质量评价指南》，支持民办园完善课程实施方案、规范一日活动，助力民办二级园争创高质量幼儿园。',
    offerings: [
      { code: '2026-1', label: '第一期', capacity: 50, kindergartenQuota: 4, closesAt: '2026-12-18T17:00:00+08:00', withdrawDeadline: '2026-12-21T17:00:00+08:00', place: COLLEGE,
        meetings: [['2027-01-08', '办园质量评价指南解读'], ['2027-03-12', '课程实施方案优化'], ['2027-04-16', '一日活动现场诊断']] },
    ],
  },
  {
    code: 'QP26-PR-01', title: '保育员专业技能研修与岗位练兵', provider: '青浦区教师进修学院', category: 'practice', level: 'district', mode: 'offline', hours: 15,
    tags: ['保育', '技能大赛'], audience: { posts: ['caregiver'] }, trainers: ['trainer'],
    description: '围绕生活照料、清洁消毒、安全防护等保育技能开展实操训练，与区保育员技能大赛衔接。',
    offerings: [
      { code: '2026-1', label: '第一期', capacity: 80, kindergartenQuota: 2, closesAt: '2026-12-08T17:00:00+08:00', withdrawDeadline: '2026-12-10T17:00:00+08:00',
        place: '青浦区保育员实训基地',
        meetings: [['2026-12-15', '保育工作规范与一日流程'], ['2027-01-12', '清洁消毒实操'], ['2027-03-09', '进餐、午睡照料实操'], ['2027-04-13', '安全防护与应急处置'],
          ['2027-05-11', '岗位练兵展示']] },
    ],
  },
  {
    code: 'QP26-PR-02', title: '幼儿园卫生保健与营养膳食实务', provider: '青浦区妇幼保健所', category: 'practice', level: 'district', mode: 'offline', hours: 12,
    tags: ['卫生保健', '营养膳食'], audience: { posts: ['health', 'nutrition'] }, trainers: ['trainer'],
    description: '学习晨午检、传染病防控、带量食谱编制与膳食营养分析等实务，提升卫生保健与膳食管理水平。',
    offerings: [
      { code: '2026-1', label: '卫生保健人员班', capacity: 60, closesAt: '2026-12-11T17:00:00+08:00', withdrawDeadline: '2026-12-14T17:00:00+08:00', place: '青浦区妇幼保健所 培训室',
        meetings: [['2026-12-18', '晨午检与传染病防控'], ['2027-01-15', '带量食谱编制'], ['2027-03-19', '膳食营养分析'], ['2027-04-23', '食品安全现场检查']] },
    ],
  },
  {
    code: 'QP26-PR-03', title: '新教师规范化培训：基地园跟岗实践', provider: '青浦区教师进修学院', category: 'practice', level: 'district', mode: 'offline', hours: 30,
    tags: ['新教师规范化培训', '见习教师'], audience: { teacherStages: ['novice'] }, trainers: ['trainer'],
    description: '见习教师在基地园由带教导师指导，完成半日活动组织、家园沟通、观察记录等规范化培训任务，期末考核。',
    offerings: [
      { code: '2026-1', label: '2026 届见习教师', capacity: 45, approvalMode: 'kindergarten', closesAt: '2026-12-04T17:00:00+08:00',
        withdrawDeadline: '2026-12-07T17:00:00+08:00', place: '基地园（按分组安排）',
        meetings: [['2026-12-09', '开班与带教协议签订', ['09:00', '12:00']], ['2026-12-23', '半日活动组织跟岗', ['08:30', '11:30']], ['2027-01-13', '观察记录与反思', ['09:00', '12:00']],
          ['2027-03-03', '家园沟通实践', ['09:00', '12:00']], ['2027-04-07', '集体教学活动展示', ['09:00', '12:00']], ['2027-06-09', '期末考核', ['09:00', '12:00']]] },
    ],
  },
  {
    code: 'QP26-PR-04', title: '园长课程领导力提升高级研修班', provider: '上海市学前教育研究所', category: 'practice', level: 'city', mode: 'hybrid', hours: 24,
    tags: ['园长课程领导力', '课程领导力'], audience: { posts: ['principal', 'vice_principal'] }, trainers: ['expert'],
    description: '结合市、区两级第四轮课程领导力项目，聚焦“构建以幼儿为本的一日活动”，开展专题研修、园际诊断与行动研究。',
    offerings: [
      { code: '2026-1', label: '领航班', capacity: 40, approvalMode: 'kindergarten_then_district', closesAt: '2026-12-06T17:00:00+08:00',
        withdrawDeadline: '2026-12-09T17:00:00+08:00', place: '上海市学前教育研究所', onlineUrl: 'https://meeting.example.cn/sh/kcldl-2026',
        meetings: [['2026-12-11', '课程领导力的内涵与路径'], ['2027-01-08', '课程实施方案诊断（线上）', EVENING], ['2027-03-12', '园际互访与诊断'], ['2027-04-09', '行动研究设计'],
          ['2027-05-14', '成果交流'], ['2027-06-11', '结业答辩']] },
    ],
  },
  {
    code: 'QP26-SS-01', title: '基于儿童立场的教育支持：案例研读与自主研修', provider: '青浦区教师进修学院', category: 'self_study', level: 'district', mode: 'online', hours: 8,
    tags: ['自主研修', '儿童立场'], trainers: ['trainer'],
    description: '研读区域优秀观察案例，完成一篇基于幼儿活动现场的观察反思，线上提交。',
    offerings: [
      { code: '2026-ONLINE', label: '自主研修（全年）', capacity: 1000, closesAt: '2027-04-30T23:59:00+08:00', withdrawDeadline: '2027-04-30T23:59:00+08:00', meetings: [],
        materials: [['document', '优秀观察案例选编', 'https://docs.example.cn/qp/cases-2026.pdf'], ['page', '观察反思撰写要求', 'https://docs.example.cn/qp/reflection-guide']] },
    ],
  },
  {
    code: 'QP26-K001-01', title: '园本教研：户外两小时活动的组织与观察', provider: '淀山湖幼儿园', category: 'practice', level: 'kindergarten', mode: 'offline', hours: 6,
    tags: ['户外活动', '园本教研'], owner: 'SH-QP-K001',
    description: '本园教研组围绕户外两小时活动的场地规划、材料投放与观察记录开展园本教研。',
    offerings: [
      { code: '2026-1', label: '本学期', capacity: 30, closesAt: '2026-12-15T17:00:00+08:00', withdrawDeadline: '2026-12-16T17:00:00+08:00', place: '淀山湖幼儿园 会议室',
        meetings: [['2026-12-17', '户外场地规划研讨', ['15:30', '17:00']], ['2027-01-07', '材料投放与观察', ['15:30', '17:00']], ['2027-03-04', '观察记录分享', ['15:30', '17:00']],
          ['2027-04-01', '学期小结', ['15:30', '17:00']]] },
    ],
  },
  {
    code: 'QP26-K001-02', title: '园本师德学习：十项准则自查与反思', provider: '淀山湖幼儿园', category: 'ethics', level: 'kindergarten', mode: 'offline', hours: 4,
    tags: ['师德'], owner: 'SH-QP-K001',
    description: '全园教职工学习十项准则，结合岗位开展自查，撰写反思。',
    offerings: [
      { code: '2026-1', label: '全园', capacity: 40, closesAt: '2026-11-20T17:00:00+08:00', withdrawDeadline: '2026-11-25T17:00:00+08:00', place: '淀山湖幼儿园 会议室',
        meetings: [['2026-12-02', '准则学习', ['15:30', '17:30']], ['2027-01-06', '自查反思交流', ['15:30', '17:30']]] },
    ],
  },
  {
    code: 'QP27-PR-05', title: '托育从业人员实操培训', provider: '青浦区教师进修学院', category: 'practice', level: 'district', mode: 'offline', hours: 16,
    tags: ['托育', '托幼一体化'], audience: { posts: ['teacher', 'caregiver'] }, trainers: ['trainer'], status: 'draft',
    description: '面向托班教师与保育员的托育实操培训（筹备中）。',
    offerings: [],
  },
];

const at = (date: string, time: string) => `${date}T${time}:00+08:00`;
const hoursBetween = ([start, end]: [string, string]) => {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return Math.round(((minutes(end) - minutes(start)) / 60) * 2) / 2;
};

/**
 * The district's training offer as of late 2026: the city's credit conversion rule and a catalog
 * of district, city and 园本 courses with offerings whose meetings run from December 2026 to June
 * 2027. No enrolments: learners make those.
 */
export function buildCatalog(org: DemoOrg, users: DemoUser[]): DemoCatalog {
  const userId = (username: string) => {
    const user = users.find((u) => u.username === username);
    if (!user) throw new Error(`Demo data: no ${username} user for the catalog`);
    return user.id;
  };
  const ownerOf = (code: string | undefined) => {
    if (!code) return org.districtId;
    const unit = org.orgUnits.find((u) => u.code === code);
    if (!unit) throw new Error(`Demo data: no org unit ${code} to own a course`);
    return unit.id;
  };
  const creditConversionRules: DemoCreditConversionRule[] = [{
    id: demoUuid('credit-rule:SH:2021-01-01'), regionId: org.cityId, hoursPerCreditCentralised: HOURS_PER_CREDIT, hoursPerCreditOther: HOURS_PER_CREDIT,
    effectiveFrom: '2021-01-01',
  }];
  const catalog: DemoCatalog = { creditConversionRules, courses: [], courseTrainers: [], offerings: [], offeringTrainers: [], meetings: [], materials: [] };
  for (const plan of PLANS) {
    const courseId = demoUuid(`course:${plan.code}`);
    const trainers = (plan.trainers ?? []).map(userId);
    catalog.courses.push({
      id: courseId, districtId: org.districtId, ownerOrgUnitId: ownerOf(plan.owner), code: plan.code, title: plan.title, description: plan.description,
      provider: plan.provider, category: plan.category, tags: plan.tags, level: plan.level, mode: plan.mode, hours: plan.hours,
      credits: Math.round((plan.hours / HOURS_PER_CREDIT) * 100) / 100, creditsFromRule: true, audience: plan.audience ?? {}, status: plan.status ?? 'published',
    });
    catalog.courseTrainers.push(...trainers.map((id) => ({ courseId, userId: id })));
    for (const offeringPlan of plan.offerings) {
      const key = `${plan.code}:${offeringPlan.code}`;
      const offeringId = demoUuid(`offering:${key}`);
      catalog.offerings.push({
        id: offeringId, courseId, districtId: org.districtId, code: offeringPlan.code, label: offeringPlan.label, capacity: offeringPlan.capacity,
        kindergartenQuota: offeringPlan.kindergartenQuota ?? null, enrolOpensAt: offeringPlan.opensAt ?? OPENS, enrolClosesAt: offeringPlan.closesAt,
        withdrawDeadline: offeringPlan.withdrawDeadline, approvalMode: offeringPlan.approvalMode ?? 'none', priorityTiers: [],
        waitlistMode: offeringPlan.waitlistMode ?? 'auto', offerExpiryHours: offeringPlan.offerExpiryHours ?? null, minAttendanceShare: 0.8, status: 'published',
      });
      catalog.offeringTrainers.push(...trainers.map((id) => ({ offeringId, userId: id })));
      offeringPlan.meetings.forEach(([date, title, time], i) => {
        const slot = time ?? AFTERNOON;
        catalog.meetings.push({
          id: demoUuid(`meeting:${key}:${i + 1}`), offeringId, districtId: org.districtId, title, startsAt: at(date, slot[0]), endsAt: at(date, slot[1]),
          place: slot === EVENING && offeringPlan.onlineUrl ? null : offeringPlan.place ?? null,
          onlineUrl: slot === EVENING || !offeringPlan.place ? offeringPlan.onlineUrl ?? null : null, hours: hoursBetween(slot),
        });
      });
      (offeringPlan.materials ?? []).forEach(([kind, title, url], i) => {
        catalog.materials.push({ id: demoUuid(`material:${key}:${i + 1}`), offeringId, kind, title, url, body: null, sortOrder: i + 1, required: true });
      });
    }
  }
  return catalog;
}
