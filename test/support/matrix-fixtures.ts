import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { FileStorageService } from '../../src/modules/files/file-storage.service.js';
import type { TestApp } from './test-app.js';
import { LESSON_RUBRIC } from './assessment-fixtures.js';

/** One record of every kind the routes address by id, all inside one district (the permission matrix's "world"). */
export interface World {
  districtId: string;
  cityId: string;
  kindergartenId: string;
  hostKindergartenId: string;
  groupId: string;
  personId: string;
  learnerUserId: string;
  roleAssignmentId: string;
  employmentId: string;
  courseId: string;
  offeringId: string;
  meetingId: string;
  materialId: string;
  enrollmentId: string;
  itemId: string;
  surveyItemId: string;
  submissionId: string;
  rubricId: string;
  certificateId: string;
  certificateCode: string;
  creditEntryId: string;
  claimId: string;
  fileId: string;
  programId: string;
  applicationId: string;
  memberId: string;
  teamId: string;
  milestoneId: string;
  outputId: string;
  contestId: string;
  contestEntryId: string;
  pairingId: string;
  activityId: string;
  reviewId: string;
  titleApplicationId: string;
  seriesId: string;
  sessionId: string;
  rotationId: string;
  sanctionId: string;
  importId: string;
  exportJobId: string;
  targetId: string;
  notificationId: string;
  expertUserId: string;
  reviewerUserId: string;
}

/** Where a world is built and who acts in it. */
export interface WorldAnchor {
  /** Short, unique per world; goes into codes. */
  tag: string;
  districtId: string;
  cityId: string;
  kindergartenId: string;
  hostKindergartenId: string;
  groupId: string;
  personId: string;
  learnerUserId: string;
  mentorPersonId: string;
  adminUserId: string;
  trainerUserId: string;
  expertUserId: string;
}

type Row = Record<string, unknown>;

/** Fixture rows straight into the test database (plus one stored file through the storage service, so downloads have bytes). */
export function matrixFixtures(t: TestApp) {
  const pool: pg.Pool = t.db.pool;
  const one = async (sql: string, params: unknown[] = []): Promise<Row> => (await pool.query(sql, params)).rows[0] as Row;
  const insert = async (table: string, row: Row): Promise<string> => {
    const columns = Object.keys(row);
    const values = columns.map((c) => {
      const v = row[c];
      return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? JSON.stringify(v) : v;
    });
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`;
    const inserted = (await pool.query(sql, values)).rows[0] as Row;
    return (inserted.id as string | undefined) ?? '';
  };
  const days = (n: number) => new Date(Date.now() + n * 86_400_000);
  const day = (n: number) => days(n).toISOString().slice(0, 10);
  const password = async () => (await one(`SELECT password_hash FROM app_user WHERE username = 'district_admin'`)).password_hash as string;

  async function orgUnit(kind: string, parent: { id: string; path: string } | null, districtId: string | null, code: string, name: string): Promise<{ id: string; path: string }> {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    const kindergarten = kind === 'kindergarten' ? { ownership: 'public', inclusive: true, grade: 'first', status: 'operating' } : {};
    await insert('org_unit', { id, kind, parent_id: parent?.id ?? null, path, depth: path.split('/').filter(Boolean).length - 1, district_id: kind === 'district' ? id : districtId, code, name, ...kindergarten });
    return { id, path };
  }

  async function user(username: string, displayName: string, personId: string | null, roles: Array<[string, string | null, string | null]>): Promise<{ id: string; assignmentIds: string[] }> {
    const id = await insert('app_user', { username, display_name: displayName, person_id: personId, password_hash: await password(), locale: 'zh-CN' });
    const assignmentIds: string[] = [];
    for (const [role, orgUnitId, groupId] of roles) assignmentIds.push(await insert('role_assignment', { user_id: id, role, org_unit_id: orgUnitId, group_id: groupId }));
    return { id, assignmentIds };
  }

  async function person(districtId: string, kindergartenId: string, fullName: string, post: string): Promise<{ id: string; employmentId: string }> {
    const id = randomUUID();
    await insert('person', {
      id, district_id: districtId, full_name: fullName, gender: 'female', birth_date: '1990-05-01', national_id_enc: 'fixture', national_id_hash: `matrix-${id}`,
      national_id_masked: '360***********0000', education_level: 'bachelor', preschool_major: true, hire_date: '2012-09-01', current_org_unit_id: kindergartenId, current_post: post,
    });
    const employmentId = await insert('employment', { person_id: id, org_unit_id: kindergartenId, district_id: districtId, post, start_date: '2012-09-01' });
    await insert('title_record', { person_id: id, title: 'second', effective_date: '2016-09-01', approving_body: '区教育局' });
    return { id, employmentId };
  }

  return {
    /**
     * A second district with its own staff and logins, under a city of its own so that no demo login
     * (not even the city admin) reaches it. Its people sign in with the demo password.
     */
    async foreignAnchor(): Promise<WorldAnchor & { usernames: Record<'admin' | 'teacher' | 'trainer' | 'expert', string> }> {
      const city = await orgUnit('city', null, null, 'MX', '南昌市');
      const district = await orgUnit('district', city, null, 'MX-DH', '东湖区');
      const kindergarten = await orgUnit('kindergarten', district, district.id, 'MX-DH-K001', '东湖区实验幼儿园');
      const host = await orgUnit('kindergarten', district, district.id, 'MX-DH-K002', '东湖区第二幼儿园');
      const groupId = await insert('kindergarten_group', { district_id: district.id, code: 'MX-DH-G01', name: '东湖区第一学前教育集团' });
      await insert('kindergarten_group_member', { group_id: groupId, kindergarten_id: kindergarten.id, is_lead: true });
      await insert('kindergarten_group_member', { group_id: groupId, kindergarten_id: host.id, is_lead: false });
      const learner = await person(district.id, kindergarten.id, '东湖教师', 'teacher');
      const mentor = await person(district.id, kindergarten.id, '东湖师傅', 'teacher');
      const learnerUser = await user('mx_teacher', '东湖教师', learner.id, [['teacher', kindergarten.id, null]]);
      const admin = await user('mx_admin', '东湖区教育局管理员', null, [['district_admin', district.id, null]]);
      const trainer = await user('mx_trainer', '东湖区培训师', null, [['trainer', district.id, null]]);
      const expert = await user('mx_expert', '东湖专家', null, [['expert', null, null]]);
      return {
        tag: 'MXB', districtId: district.id, cityId: city.id, kindergartenId: kindergarten.id, hostKindergartenId: host.id, groupId,
        personId: learner.id, learnerUserId: learnerUser.id, mentorPersonId: mentor.id, adminUserId: admin.id, trainerUserId: trainer.id, expertUserId: expert.id,
        usernames: { admin: 'mx_admin', teacher: 'mx_teacher', trainer: 'mx_trainer', expert: 'mx_expert' },
      };
    },

    /** The demo district around the `teacher` login at SH-QP-K001, with `trainer`, `expert` and `district_admin` acting. */
    async demoAnchor(): Promise<WorldAnchor> {
      const id = async (sql: string, params: unknown[] = []) => (await one(sql, params)).id as string;
      const district = await one(`SELECT id, parent_id FROM org_unit WHERE code = 'SH-QP'`);
      const learner = await one(`SELECT u.id, u.person_id, p.current_org_unit_id FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username = 'teacher'`);
      return {
        tag: 'MXA', districtId: district.id as string, cityId: district.parent_id as string,
        kindergartenId: learner.current_org_unit_id as string,
        hostKindergartenId: await id(`SELECT id FROM org_unit WHERE code = 'SH-QP-K002'`),
        groupId: await id(`SELECT id FROM kindergarten_group WHERE code = 'SH-QP-G01'`),
        personId: learner.person_id as string, learnerUserId: learner.id as string,
        mentorPersonId: await id(`SELECT p.id FROM person p WHERE p.current_org_unit_id = $1 AND p.current_post = 'teacher' AND p.id <> $2 ORDER BY p.full_name LIMIT 1`,
          [learner.current_org_unit_id, learner.person_id]),
        adminUserId: await id(`SELECT id FROM app_user WHERE username = 'district_admin'`),
        trainerUserId: await id(`SELECT id FROM app_user WHERE username = 'trainer'`),
        expertUserId: await id(`SELECT id FROM app_user WHERE username = 'expert'`),
      };
    },

    /** One record of each kind in the anchor's district, the learner at the centre, the trainer teaching, the expert reviewing. */
    async buildWorld(a: WorldAnchor): Promise<World> {
      const d = a.districtId;
      const roleAssignmentId = (await one(`SELECT id FROM role_assignment WHERE user_id = $1 ORDER BY role LIMIT 1`, [a.learnerUserId])).id as string;
      const employmentId = (await one(`SELECT id FROM employment WHERE person_id = $1 ORDER BY start_date DESC LIMIT 1`, [a.personId])).id as string;
      const courseId = await insert('course', {
        district_id: d, owner_org_unit_id: d, code: `${a.tag}-C1`, title: `${a.tag} 观察与支持幼儿游戏`, category: 'practice', level: 'district',
        mode: 'offline', hours: 6, credits: 1, status: 'published', created_by: a.adminUserId,
      });
      await insert('course_trainer', { course_id: courseId, user_id: a.trainerUserId });
      const offeringId = await insert('offering', {
        course_id: courseId, district_id: d, code: '2026-1', capacity: 10, enrol_opens_at: days(-2), enrol_closes_at: days(7), withdraw_deadline: days(7),
        approval_mode: 'none', waitlist_mode: 'none', status: 'published', created_by: a.adminUserId,
      });
      await insert('offering_trainer', { offering_id: offeringId, user_id: a.trainerUserId });
      const meetingId = await insert('meeting', { offering_id: offeringId, district_id: d, title: '第一次集中培训', starts_at: days(-1), ends_at: new Date(days(-1).getTime() + 3 * 3_600_000), hours: 3, place: '教师进修学院' });
      const materialId = await insert('material', { offering_id: offeringId, kind: 'page', title: '阅读材料', body: '游戏观察要点' });
      const enrollmentId = await insert('enrollment', {
        offering_id: offeringId, course_id: courseId, person_id: a.personId, district_id: d, kindergarten_id: a.kindergartenId, level: 'district', status: 'enrolled',
      });
      const rubricId = await insert('rubric', { district_id: d, owner_user_id: a.trainerUserId, method: 'rubric', name: `${a.tag} 展示课评价量规`, criteria: JSON.stringify(LESSON_RUBRIC), max_points: 20 });
      const itemId = await insert('assessment_item', {
        offering_id: offeringId, district_id: d, kind: 'assignment', title: '游戏观察记录', submission_modes: ['text'], grading_method: 'points', max_points: 100, pass_points: 60, created_by: a.trainerUserId,
      });
      const surveyItemId = await insert('assessment_item', {
        offering_id: offeringId, district_id: d, kind: 'survey', title: '课程评价', grading_method: 'none', created_by: a.trainerUserId,
        questions: JSON.stringify([{ id: 'q1', kind: 'rating', prompt: '总体评价', required: true }]),
      });
      const submissionId = await insert('submission', { item_id: itemId, enrollment_id: enrollmentId, person_id: a.personId, district_id: d, attempt: 1, body: '观察记录正文', submitted_at: new Date(), submitted_by: a.learnerUserId });
      const ruleId = await insert('completion_rule', { offering_id: offeringId, district_id: d, effective_from: days(-30), min_attendance_share: 0.8, created_by: a.adminUserId });
      const completionId = await insert('completion', {
        enrollment_id: enrollmentId, offering_id: offeringId, person_id: a.personId, district_id: d, sequence: 1, rule_id: ruleId, completed_at: new Date(),
        attended_hours: 3, scheduled_hours: 3, hours: 3, credits: 1, conditions: '[]',
      });
      const certificateCode = randomBytes(8).toString('hex').toUpperCase();
      const certificateId = await insert('certificate', {
        completion_id: completionId, person_id: a.personId, district_id: d, code: certificateCode, status: 'issued', issued_at: new Date(),
        snapshot: { fullName: '学员', courseTitle: '观察与支持幼儿游戏', offeringLabel: '2026-1', hours: 3, credits: 1, completedOn: day(0), issuer: '教育局', partial: false },
      });
      const creditEntryId = await insert('credit_entry', {
        person_id: a.personId, district_id: d, hours: 6, credits: 1, category: 'practice', level: 'district', source: 'manual_adjustment', title: '区级培训补录',
        occurred_on: day(-10), recorded_by: a.adminUserId,
      });
      const file = await t.app.get(FileStorageService).put(Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1'),
        { originalName: '证书.pdf', purpose: 'claim_evidence', ownerUserId: a.learnerUserId, districtId: d });
      const claimId = await insert('credit_claim', {
        person_id: a.personId, district_id: d, kindergarten_id: a.kindergartenId, title: '外部培训', provider: '市教委', certificate_number: `${a.tag}-0001`, hours: 6, credits: 1,
        category: 'practice', level: 'city', occurred_on: day(-20), evidence_file_id: file.id, status: 'submitted',
      });
      const programId = await insert('program', {
        district_id: d, kind: 'cohort', tier: 'seed', code: `${a.tag}-SEED`, name_zh: `${a.tag} 种子计划`, name_en: `${a.tag} seed program`, round: 8,
        starts_on: day(-30), ends_on: day(700), applications_open_at: days(-60), applications_close_at: days(-40), status: 'running', created_by: a.adminUserId,
      });
      const applicationId = await insert('program_application', {
        program_id: programId, person_id: a.personId, district_id: d, kindergarten_id: a.kindergartenId, source: 'self', statement: '申请理由', dossier: {}, status: 'selected', created_by: a.learnerUserId,
      });
      await insert('program_review_assignment', { application_id: applicationId, reviewer_user_id: a.expertUserId, program_id: programId, assigned_by: a.adminUserId });
      const teamId = await insert('program_team', { program_id: programId, district_id: d, name: `${a.tag} 第一研修团队`, host_person_id: a.mentorPersonId, base_org_unit_id: a.kindergartenId });
      const memberId = await insert('program_member', { program_id: programId, district_id: d, person_id: a.personId, team_id: teamId, application_id: applicationId, status: 'active', joined_on: day(-30) });
      const milestoneId = await insert('program_milestone', { team_id: teamId, title: '开题', due_on: day(30) });
      const outputId = await insert('program_output', {
        program_id: programId, team_id: teamId, person_id: a.personId, district_id: d, kind: 'paper', title: '行动研究报告', occurred_on: day(-5), status: 'submitted', created_by: a.learnerUserId,
      });
      const contestId = await insert('program', {
        district_id: d, kind: 'contest', tier: 'contest', code: `${a.tag}-CONTEST`, name_zh: `${a.tag} 保育员技能大赛`, name_en: `${a.tag} caregiver contest`,
        starts_on: day(-10), ends_on: day(20), applications_open_at: days(-20), applications_close_at: days(10), status: 'published', contest_posts: ['teacher', 'caregiver'], created_by: a.adminUserId,
      });
      const contestEntryId = await insert('contest_entry', { program_id: contestId, person_id: a.personId, district_id: d, kindergarten_id: a.kindergartenId, post: 'teacher', status: 'entered', entered_by: a.learnerUserId });
      const pairingId = await insert('mentor_pairing', {
        district_id: d, kind: 'standard', status: 'active', source: 'admin', mentee_person_id: a.personId, mentee_kindergarten_id: a.kindergartenId,
        starts_on: day(-60), ends_on: day(300), goals: '一年内独立组织集体教学活动', activated_at: days(-60),
      });
      await insert('mentor_link', { pairing_id: pairingId, mentor_person_id: a.mentorPersonId, district_id: d, mentor_kindergarten_id: a.kindergartenId, role: 'lead' });
      const activityId = await insert('mentoring_activity', {
        pairing_id: pairingId, district_id: d, kind: 'observation', actor_person_id: a.personId, logged_by_person_id: a.personId, occurred_on: day(-3), term: '2025-2026-2',
        duration_minutes: 45, status: 'logged',
      });
      const reviewId = await insert('mentoring_term_review', {
        pairing_id: pairingId, district_id: d, term: '2025-2026-1', status: 'submitted', targets: {}, progress: {}, mentor_comment: '进步明显', submitted_at: days(-1),
      });
      const titleApplicationId = await insert('title_application', {
        person_id: a.personId, district_id: d, kindergarten_id: a.kindergartenId, from_title: 'second', to_title: 'first', status: 'draft', statement: '申报材料', opened_by: a.learnerUserId,
      });
      const seriesId = await insert('lecture_series', { district_id: d, city_id: a.cityId, semester: '2026-autumn', title: `${a.tag} 示范园园长大课堂`, status: 'draft' });
      const sessionId = await insert('lecture_session', {
        series_id: seriesId, month: '2026-10-01', topic: '幼儿园课程领导力', speaker_person_id: a.mentorPersonId, speaker_kindergarten_id: a.kindergartenId,
        starts_at: new Date('2026-10-10T05:30:00Z'), ends_at: new Date('2026-10-10T08:30:00Z'),
      });
      const rotationId = await insert('rotation', {
        person_id: a.personId, district_id: d, home_kindergarten_id: a.kindergartenId, host_kindergarten_id: a.hostKindergartenId, kind: 'exchange',
        starts_on: day(-30), ends_on: day(300), count_at: 'home', created_by: a.adminUserId,
      });
      const sanctionId = await insert('ethics_sanction', {
        person_id: a.personId, district_id: d, kind: 'warning', decided_on: day(-100), blocks_until: day(200), reason: '记录一次警告', recorded_by: a.adminUserId,
      });
      const sheet = await t.app.get(FileStorageService).put(Buffer.from('姓名,身份证号\n', 'utf8'),
        { originalName: 'staff.csv', purpose: 'import', ownerUserId: a.adminUserId, districtId: d, generatedAs: 'text/csv' });
      const importId = await insert('import_job', {
        district_id: d, kind: 'staff', status: 'validated', file_id: sheet.id, original_name: 'staff.csv', headers: ['姓名', '身份证号'], total_rows: 0, rows_done: 0, error_count: 0,
        created_by: a.adminUserId, validated_at: new Date(),
      });
      const exported = await t.app.get(FileStorageService).put(Buffer.from('姓名\n学员\n', 'utf8'),
        { originalName: 'people.csv', purpose: 'export', ownerUserId: a.adminUserId, districtId: d, generatedAs: 'text/csv' });
      const exportJobId = await insert('export_job', {
        user_id: a.adminUserId, district_id: d, kind: 'people', format: 'csv', params: {}, status: 'ready', row_count: 1, file_id: exported.id, finished_at: new Date(),
      });
      const targetId = await insert('workforce_target', {
        district_id: d, code: `${a.tag.toLowerCase()}-senior`, name_zh: '高级职称覆盖', name_en: 'Senior title coverage', measure: 'kindergartens_with_senior_title',
        scope: { ownership: 'public' }, unit: 'percent', threshold: 60, deadline: day(400),
      });
      const notificationId = await insert('notification', { user_id: a.learnerUserId, kind: 'enrollment', title: '报名成功', body: '您已报名' });
      return {
        districtId: d, cityId: a.cityId, kindergartenId: a.kindergartenId, hostKindergartenId: a.hostKindergartenId, groupId: a.groupId, personId: a.personId,
        learnerUserId: a.learnerUserId, roleAssignmentId, employmentId, courseId, offeringId, meetingId, materialId, enrollmentId, itemId, surveyItemId, submissionId, rubricId,
        certificateId, certificateCode, creditEntryId, claimId, fileId: file.id, programId, applicationId, memberId, teamId, milestoneId, outputId, contestId,
        contestEntryId, pairingId, activityId, reviewId, titleApplicationId, seriesId, sessionId, rotationId, sanctionId, importId, exportJobId, targetId,
        notificationId, expertUserId: a.expertUserId, reviewerUserId: a.expertUserId,
      };
    },
  };
}
