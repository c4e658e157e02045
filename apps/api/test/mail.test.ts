import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

/**
 * The real mail path: jobs on the durable queue (pg-boss in the app's database), delivered by nodemailer to a
 * real SMTP server (smtp-server on a loopback port). With the server down, mails are retried with backoff and
 * arrive once it is back: none lost, none doubled.
 */
type Received = { to: string[]; messageId: string; raw: string };
let received: Received[] = [];
let server: SMTPServer;
let port: number;

function startSmtp(listenPort = 0) {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        const messageId = /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? '';
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId, raw });
        callback();
      });
    },
  });
  server.listen(listenPort, '127.0.0.1');
  return once(server.server, 'listening').then(() => (server.server.address() as AddressInfo).port);
}

const stopSmtp = () => new Promise<void>((resolve) => server.close(() => resolve()));

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let t: TestContext;
let author: TestUser, watcher1: TestUser, watcher2: TestUser;
let group: { id: string };

beforeAll(async () => {
  port = await startSmtp();
  t = await createTestContext({
    COVEY_TEST_JOBS: '1',
    SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    MAIL_FROM: 'Covey <covey@test.covey>',
    MAIL_RETRY_DELAY: '1',
  });
  [author, watcher1, watcher2] = await Promise.all([t.user('learner'), t.user('learner'), t.user('learner')]);
  group = await t.group('Mail group');
  await t.member(group.id, author.id, 'learner');
  await t.member(group.id, watcher1.id, 'observer');
  await t.member(group.id, watcher2.id, 'observer');
});
afterAll(async () => {
  await t?.close();
  await stopSmtp().catch(() => undefined);
});

const postInGroup = (body: string) =>
  t.as(author, { method: 'POST', url: `/api/v1/groups/${group.id}/posts`, payload: { body } });

describe('e-mail over SMTP', () => {
  it('delivers notification mails to the right recipients', async () => {
    received = [];
    expect((await postInGroup('First mail test')).statusCode).toBe(201);
    await waitFor('two mails', async () => received.length >= 2);
    expect(received.flatMap((r) => r.to).sort()).toEqual([watcher1.email, watcher2.email].sort());
    expect(received[0]!.raw).toContain('First mail test');
    expect(received[0]!.raw).toMatch(/^From: Covey <covey@test.covey>/m);
    const mails = await t.db.prisma.mailMessage.findMany({ where: { text: { contains: 'First mail test' } } });
    await waitFor('sent status', async () =>
      (await t.db.prisma.mailMessage.count({ where: { id: { in: mails.map((m) => m.id) }, status: 'sent' } })) === 2,
    );
  });

  it('retries while the SMTP server is down, then delivers each mail exactly once', async () => {
    await stopSmtp();
    received = [];
    expect((await postInGroup('Sent while down')).statusCode).toBe(201);
    const mails = await t.db.prisma.mailMessage.findMany({ where: { text: { contains: 'Sent while down' } } });
    expect(mails).toHaveLength(2);
    // Attempts fail and are recorded; nothing is marked sent.
    await waitFor('failed attempts', async () =>
      (await t.db.prisma.mailMessage.count({ where: { id: { in: mails.map((m) => m.id) }, attempts: { gte: 1 }, lastError: { not: null } } })) === 2,
    );
    expect(await t.db.prisma.mailMessage.count({ where: { id: { in: mails.map((m) => m.id) }, status: 'sent' } })).toBe(0);

    await startSmtp(port);
    await waitFor('delivery after recovery', async () =>
      (await t.db.prisma.mailMessage.count({ where: { id: { in: mails.map((m) => m.id) }, status: 'sent' } })) === 2,
    );
    // Give any duplicate a chance to show up, then count.
    await new Promise((r) => setTimeout(r, 2500));
    const forThese = received.filter((r) => r.raw.includes('Sent while down'));
    expect(forThese.flatMap((r) => r.to).sort()).toEqual([watcher1.email, watcher2.email].sort());
    expect(new Set(forThese.map((r) => r.messageId)).size).toBe(forThese.length);
  });
});
