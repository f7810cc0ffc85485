import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createContest, entryRows, personOf } from '../support/contest-fixtures.js';

const DAY = 86_400_000;

describe('contests (业务竞赛)', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const fields = (res: { body: { error: { details: { fields: Array<{ field: string }> } } } }) => res.body.error.details.fields.map((f) => f.field);
  const enter = (contest: string, username: string, body: object = {}) => t.http().post(`/api/programs/${contest}/contest/entries`).set(as(username)).send(body);
  const judge = (contest: string, results: unknown, username = 'district_admin') => t.http().put(`/api/programs/${contest}/contest/results`).set(as(username)).send({ results });
  const view = async (contest: string, username: string) => (await t.http().get(`/api/programs/${contest}/contest`).set(as(username)).expect(200)).body;
  let contest: string;
  const people: Record<string, string> = {};
  const entries: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher', 't00013', 't00014', 't00015', 't00016', 't00017', 't00035']) {
      tokens.set(name, await t.token(name));
      if (name !== 'district_admin' && name !== 'group_admin') people[name] = (await personOf(t.db.pool, name)).personId;
    }
    contest = await createContest(t.db.pool, { nameZh: '2026年青浦区保育员技能大赛', credits: 2, hours: 12 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets a caregiver enter once, however often they click', async () => {
    const first = (await enter(contest, 't00013').expect(201)).body;
    expect(first).toMatchObject({ personId: people.t00013, status: 'entered', post: 'caregiver', award: null });
    expect((await enter(contest, 't00013').expect(200)).body.id).toBe(first.id);
    // Two clicks at the same moment: one row, both answers name it.
    const both = await Promise.all([enter(contest, 't00014'), enter(contest, 't00014')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0].body.id).toBe(both[1].body.id);
    const rows = await entryRows(t.db.pool, contest);
    expect(rows.map((r) => r.person_id).sort()).toEqual([people.t00013, people.t00014].sort());
    entries.t00013 = first.id;
    entries.t00014 = both[0].body.id;
  });

  it('refuses other posts and entries outside the window, and writes nothing', async () => {
    const wrong = await enter(contest, 'teacher').expect(409);
    expect(wrong.body.error).toMatchObject({ code: 'CONTEST_POST_NOT_ELIGIBLE', details: { post: 'teacher', contestPosts: ['caregiver', 'nutrition', 'health'] } });
    expect((await enter(contest, 'kg_admin').expect(409)).body.error.code).toBe('CONTEST_POST_NOT_ELIGIBLE');

    const future = await createContest(t.db.pool, { opensAt: new Date(Date.now() + DAY), closesAt: new Date(Date.now() + 2 * DAY) });
    const early = await enter(future, 't00013').expect(409);
    expect(early.body.error.code).toBe('CONTEST_ENTRY_NOT_OPEN');
    expect(Date.parse(early.body.error.details.opensAt)).toBeGreaterThan(Date.now());
    const past = await createContest(t.db.pool, { opensAt: new Date(Date.now() - 2 * DAY), closesAt: new Date(Date.now() - DAY) });
    expect((await enter(past, 't00013').expect(409)).body.error.code).toBe('CONTEST_ENTRY_CLOSED');
    // A draft is not shown to staff; a cohort program has no contest.
    const draft = await createContest(t.db.pool, { status: 'draft' });
    await enter(draft, 't00013').expect(404);
    await t.http().get(`/api/programs/${draft}/contest`).set(as('t00013')).expect(404);
    expect((await view(draft, 'district_admin')).entryWindow).toBe('not_yet_open');
    const cohort = await createContest(t.db.pool, { kind: 'cohort' });
    await t.http().get(`/api/programs/${cohort}/contest`).set(as('district_admin')).expect(404);

    for (const id of [future, past, draft]) expect(await entryRows(t.db.pool, id)).toEqual([]);
    expect(await entryRows(t.db.pool, contest)).toHaveLength(2);
  });

  it('lets a kindergarten admin enter their own staff, and no one else', async () => {
    const nominated = await enter(contest, 'kg_admin', { personId: people.t00017 }).expect(201);
    expect(nominated.body).toMatchObject({ personId: people.t00017, post: 'health' });
    entries.t00017 = nominated.body.id;
    const { rows: [row] } = await t.db.pool.query(
      `SELECT u.username FROM contest_entry e JOIN app_user u ON u.id = e.entered_by WHERE e.id = $1`, [nominated.body.id]);
    expect(row.username).toBe('kg_admin');

    await enter(contest, 'kg_admin', { personId: people.t00035 }).expect(404); // K002 is not theirs
    await enter(contest, 't00013', { personId: people.t00015 }).expect(404);
    await enter(contest, 'group_admin', { personId: people.t00035 }).expect(404);
    expect(fields(await enter(contest, 'kg_admin', { personId: 'someone' }).expect(400))).toEqual(['personId']);
    expect(await entryRows(t.db.pool, contest)).toHaveLength(3);

    entries.t00035 = (await enter(contest, 't00035').expect(201)).body.id;
    // The admin oversees their kindergarten's entries only; district staff see every entry.
    const mine = await view(contest, 'kg_admin');
    expect(mine.entries.map((e: { personId: string }) => e.personId).sort()).toEqual([people.t00013, people.t00014, people.t00017].sort());
    expect(mine.can).toMatchObject({ nominate: true, judge: false, publish: false });
    expect((await view(contest, 'district_admin')).entries).toHaveLength(4);
    expect((await view(contest, 't00013')).entries).toEqual([]);
  });

  it('withdraws before judging; the entrant may then enter again', async () => {
    await t.http().post(`/api/contest-entries/${entries.t00014}/withdraw`).set(as('t00013')).expect(404);
    expect((await t.http().post(`/api/contest-entries/${entries.t00014}/withdraw`).set(as('t00014')).expect(200)).body.status).toBe('withdrawn');
    expect((await t.http().post(`/api/contest-entries/${entries.t00014}/withdraw`).set(as('t00014')).expect(200)).body.status).toBe('withdrawn');
    const again = (await enter(contest, 't00014').expect(201)).body;
    expect(again.id).not.toBe(entries.t00014);
    entries.t00014 = again.id;
    expect((await entryRows(t.db.pool, contest)).map((r) => r.status).sort()).toEqual(['entered', 'entered', 'entered', 'entered', 'withdrawn']);
  });

  it('keeps judging to district staff and refuses a bad sheet whole', async () => {
    const sheet = [{ entryId: entries.t00013, score: 92.5, award: 'first' }];
    await judge(contest, sheet, 't00013').expect(403);
    await judge(contest, sheet, 'kg_admin').expect(403);

    const bad = await judge(contest, [
      { entryId: entries.t00013, score: 150, award: 'first' }, { entryId: entries.t00017, award: 'gold' }, { entryId: entries.t00013, award: 'none' },
    ]).expect(400);
    expect(fields(bad)).toEqual(['results[0].score', 'results[1].award', 'results[2].entryId']);
    const unknown = await judge(contest, [{ entryId: entries.t00017, award: 'third' }, { entryId: randomUUID(), award: 'none' }]).expect(400);
    expect(unknown.body.error.details.fields).toEqual([expect.objectContaining({ field: 'results[1].entryId', code: 'UNKNOWN_ENTRY' })]);
    expect(fields(await judge(contest, undefined).expect(400))).toEqual(['results']);
    expect((await entryRows(t.db.pool, contest)).filter((r) => r.status === 'judged')).toEqual([]);
  });

  it('publishes only a fully judged contest and puts each prize on the record exactly once', async () => {
    const saved = (await judge(contest, [{ entryId: entries.t00013, score: 92.5, award: 'first' }, { entryId: entries.t00017, score: 80, award: 'third' }]).expect(200)).body;
    expect(saved.items.map((i: { award: string }) => i.award).sort()).toEqual(['first', 'third']);
    // Before publication the entrant sees that they were judged, not the result.
    const before = await view(contest, 't00013');
    expect(before.mine).toMatchObject({ status: 'judged', award: null, score: null });
    expect(before.results).toBeNull();

    const early = await t.http().post(`/api/programs/${contest}/contest/publish`).set(as('district_admin')).expect(409);
    expect(early.body.error).toMatchObject({ code: 'CONTEST_UNJUDGED_ENTRIES', details: { count: 2 } });
    await t.http().post(`/api/programs/${contest}/contest/publish`).set(as('kg_admin')).expect(403);

    await judge(contest, [{ entryId: entries.t00014, score: 60, award: 'none' }, { entryId: entries.t00035, award: 'excellence' }]).expect(200);
    const published = (await t.http().post(`/api/programs/${contest}/contest/publish`).set(as('district_admin')).expect(200)).body;
    expect(published).toEqual({ judged: 4, prizes: 3, recorded: 3 });
    expect((await t.http().post(`/api/programs/${contest}/contest/publish`).set(as('district_admin')).expect(200)).body).toEqual({ judged: 4, prizes: 3, recorded: 0 });

    const { rows: credits } = await t.db.pool.query(
      `SELECT person_id, credits::float, hours::float, category, level, source, source_key, title FROM credit_entry WHERE source_key LIKE 'contest-entry:%' ORDER BY title`);
    const prizeIds = [entries.t00013, entries.t00017, entries.t00035];
    expect(credits.map((c) => c.source_key).sort()).toEqual(prizeIds.map((id) => `contest-entry:${id}`).sort());
    for (const c of credits) expect(c).toMatchObject({ credits: 2, hours: 12, category: 'practice', level: 'district', source: 'contest' });
    const { rows: honours } = await t.db.pool.query(
      `SELECT person_id, name FROM person_honour WHERE name LIKE '2026年青浦区保育员技能大赛 %' ORDER BY name`);
    expect(honours.map((h) => [h.person_id, h.name]).sort()).toEqual([
      [people.t00013, '2026年青浦区保育员技能大赛 一等奖'], [people.t00017, '2026年青浦区保育员技能大赛 三等奖'],
      [people.t00035, '2026年青浦区保育员技能大赛 优秀奖'],
    ].sort());
    const { rows: linked } = await t.db.pool.query(
      `SELECT person_id, credit_entry_id IS NOT NULL AS credit, honour_id IS NOT NULL AS honour FROM contest_entry WHERE program_id = $1 AND status = 'judged'`, [contest]);
    for (const l of linked) expect([l.credit, l.honour]).toEqual(l.person_id === people.t00014 ? [false, false] : [true, true]);
  });

  it('shows published results to entrants and refuses any change afterwards', async () => {
    const after = await view(contest, 't00013');
    expect(after).toMatchObject({ resultsPublished: true, entryWindow: 'closed', mine: { award: 'first', score: 92.5 } });
    expect(after.results.map((r: { award: string }) => r.award)).toEqual(['first', 'third', 'excellence']);
    const mine = (await t.http().get('/api/me/contest-entries').set(as('t00013')).expect(200)).body.items;
    expect(mine).toEqual([expect.objectContaining({ programId: contest, award: 'first', programNameZh: '2026年青浦区保育员技能大赛' })]);
    // The learner's ledger shows the contest credit.
    const ledger = (await t.http().get('/api/me/credits').set(as('t00013')).expect(200)).body;
    expect(JSON.stringify(ledger)).toContain('2026年青浦区保育员技能大赛 一等奖');

    expect((await judge(contest, [{ entryId: entries.t00014, award: 'second' }]).expect(409)).body.error.code).toBe('CONTEST_RESULTS_PUBLISHED');
    expect((await t.http().post(`/api/contest-entries/${entries.t00017}/withdraw`).set(as('kg_admin')).expect(409)).body.error.code).toBe('CONTEST_ENTRY_JUDGED');
    expect((await enter(contest, 't00015').expect(409)).body.error.code).toBe('CONTEST_ENTRY_CLOSED');
    const rows = await entryRows(t.db.pool, contest);
    expect(rows.find((r) => r.id === entries.t00014)).toMatchObject({ award: 'none' });
    expect(rows).toHaveLength(5);
  });

  it('runs the page: a results sheet with a bad score comes back as typed, a good one is saved', async () => {
    const second = await createContest(t.db.pool, { nameZh: '2026年青浦区营养员技能大赛' });
    const entryId = (await enter(second, 't00016').expect(201)).body.id;
    const admin = await t.signInPages('district_admin');
    const page = await admin.get(`/programs/${second}/contest`).expect(200);
    expect(page.text).toContain(`name="award.${entryId}"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];

    const refused = await admin.post(`/programs/${second}/contest/results`).type('form')
      .send({ _csrf: csrf, [`score.${entryId}`]: '9x', [`award.${entryId}`]: 'second' }).expect(400);
    expect(refused.text).toContain('value="9x"');
    expect(refused.text).toContain('请输入数字');
    expect(refused.text).toMatch(new RegExp(`<option value="second" selected>`));
    expect((await entryRows(t.db.pool, second))[0].status).toBe('entered');

    await admin.post(`/programs/${second}/contest/results`).type('form')
      .send({ _csrf: csrf, [`score.${entryId}`]: '88', [`award.${entryId}`]: 'second' }).expect(303);
    expect((await entryRows(t.db.pool, second))[0]).toMatchObject({ status: 'judged', award: 'second', score: '88.00' });

    // The entrant's page shows their entry and no results sheet.
    const entrant = await t.signInPages('t00016');
    const own = await entrant.get(`/programs/${second}/contest`).expect(200);
    expect(own.text).toContain('data-testid="my-entry"');
    expect(own.text).not.toContain('data-testid="save-sheet"');

    // A nutrition cook enters from the page, twice by mistake, then withdraws: one row, withdrawn.
    const cook = await t.signInPages('t00018');
    const form = await cook.get(`/programs/${second}/contest`).expect(200);
    expect(form.text).toContain('data-testid="enter-self"');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await cook.post(`/programs/${second}/contest/entries`).type('form').send({ _csrf: token }).expect(303);
    await cook.post(`/programs/${second}/contest/entries`).type('form').send({ _csrf: token }).expect(303);
    const cookId = (await personOf(t.db.pool, 't00018')).personId;
    const [cookEntry] = (await entryRows(t.db.pool, second)).filter((r) => r.person_id === cookId);
    expect((await entryRows(t.db.pool, second)).filter((r) => r.person_id === cookId)).toHaveLength(1);
    await cook.post(`/programs/${second}/contest/entries/${cookEntry.id}/withdraw`).type('form').send({ _csrf: token }).expect(303);
    expect((await entryRows(t.db.pool, second)).find((r) => r.id === cookEntry.id)!.status).toBe('withdrawn');
  });
});
