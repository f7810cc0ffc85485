import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { MailService } from '../../src/modules/notifications/mail.service.js';
import { JobQueue } from '../../src/queue/job-queue.js';

/** A minimal SMTP server on loopback that records every message it accepts. */
function smtpServer(received: string[]): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      let data = false;
      let buffer = '';
      socket.write('220 test ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        let index;
        while ((index = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          if (data) {
            if (line === '.') { data = false; received.push('message'); socket.write('250 queued\r\n'); }
            continue;
          }
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') socket.write('250 test\r\n');
          else if (verb === 'DATA') { data = true; socket.write('354 go\r\n'); }
          else if (verb === 'QUIT') { socket.write('221 bye\r\n'); socket.end(); }
          else socket.write('250 ok\r\n');
        }
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mail without SMTP (inline driver)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  it('keeps rendered mail in the outbox, once per dedupe key, readable by district admins only', async () => {
    const mail = t.app.get(MailService);
    const data = { name: '王老师', title: '报名成功', body: '您已报名参加安吉游戏专题培训。', link: null };
    const id = await mail.send('teacher@example.cn', 'notice', data, 'zh-CN', 'pw-notice-1');
    const again = await mail.send('teacher@example.cn', 'notice', data, 'zh-CN', 'pw-notice-1');
    expect(again).toBe(id);
    const { rows } = await t.db.pool.query('SELECT subject, status, text_body FROM mail_outbox');
    expect(rows).toEqual([expect.objectContaining({ subject: '【幼儿园教师发展平台】报名成功', status: 'kept' })]);
    expect(rows[0].text_body).toContain('王老师');
    const list = await t.http().get('/api/outbox').set('Authorization', `Bearer ${await t.token('district_admin')}`).expect(200);
    expect(list.body.items[0].subject).toBe('【幼儿园教师发展平台】报名成功');
    await t.http().get('/api/outbox').set('Authorization', `Bearer ${await t.token('kg_admin')}`).expect(403);
    expect(t.app.get(JobQueue).driver).toBe('inline');
  });
});

describe('mail over SMTP through BullMQ on Redis', () => {
  let t: TestApp;
  let smtp: { server: Server; port: number };
  const received: string[] = [];
  beforeAll(async () => {
    smtp = await smtpServer(received);
    t = await startTestApp({ env: {
      REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: `tgptest${randomBytes(4).toString('hex')}`,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    } });
  });
  afterAll(async () => {
    await t.close();
    smtp.server.close();
  });

  it('delivers a queued mail exactly once, and /health reports the queue', async () => {
    expect(t.app.get(JobQueue).driver).toBe('bullmq');
    const mail = t.app.get(MailService);
    const id = await mail.send('teacher@example.cn', 'notice', { name: 'Wang', title: 'Enrolled', body: 'You are enrolled.', link: 'http://localhost/x' }, 'en', 'pw-notice-2');
    await waitFor(async () => (await t.db.pool.query('SELECT status FROM mail_outbox WHERE id = $1', [id])).rows[0].status === 'sent');
    await mail.deliver(id);
    expect(received).toEqual(['message']);
    const health = await t.http().get('/health').expect(200);
    expect(health.body.queue).toEqual({ status: 'up', driver: 'bullmq' });
  });

  it('queues again at start the mail a stopped process recorded but never queued, not one that has failed every try', async () => {
    const insert = async (attempts: number) => (await t.db.pool.query(
      `INSERT INTO mail_outbox (to_address, subject, html, text_body, template, status, attempts)
       VALUES ('teacher@example.cn', 'Reminder', '<p>Hi</p>', 'Hi', 'notice', 'pending', $1) RETURNING id`, [attempts])).rows[0].id as string;
    const exhausted = await insert(5);
    const stranded = await insert(0);
    const enqueue = jest.spyOn(t.app.get(JobQueue), 'enqueue');
    try {
      t.app.get(MailService).onApplicationBootstrap();
      await t.app.get(MailService).resubmitted;
      expect(enqueue.mock.calls.map((call) => (call[1] as { mailId: string }).mailId)).toEqual([stranded]);
    } finally {
      enqueue.mockRestore();
    }
    await waitFor(async () => (await t.db.pool.query('SELECT status FROM mail_outbox WHERE id = $1', [stranded])).rows[0].status === 'sent');
    expect(received).toEqual(['message', 'message']);
    expect((await t.db.pool.query('SELECT status, attempts FROM mail_outbox WHERE id = $1', [exhausted])).rows[0]).toEqual({ status: 'pending', attempts: 5 });
  });
});
