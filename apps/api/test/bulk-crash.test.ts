import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess } from './api-process.ts';
import { createInParts, createTestContext, type TestContext, type TestUser } from './helpers.ts';

/**
 * The process is killed (SIGKILL) in the middle of a bulk operation: another process resumes it after the last
 * committed batch, and no item is applied or counted twice. Needs the PostgreSQL server (two processes).
 */
const databaseUrl = process.env.DATABASE_URL;
let t: TestContext;
let admin: TestUser;
let filesDir: string;
const children: ChildProcess[] = [];

async function startProcess() {
  const started = await startApiProcess({ ...process.env, DATABASE_URL: t.db.url!, COVEY_FILES_DIR: filesDir, COVEY_SEED_DEMO: '0', LOG_LEVEL: 'warn' });
  children.push(started.child);
  return started;
}

describe.skipIf(!databaseUrl)('a process killed during a bulk operation', () => {
  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.user('admin');
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-crash-'));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await t?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('resumes on another process, never half-applied nor doubled', async () => {
    const tag = randomUUID().slice(0, 8);
    const users = Array.from({ length: 5000 }, (_, i) => ({ id: randomUUID(), email: `k${i}-${tag}@crash.test`, firstName: 'K', lastName: `${i}` }));
    await createInParts((data) => t.db.prisma.user.createMany({ data }), users);
    const groups = await Promise.all([0, 1, 2, 3].map((i) => t.group(`Crash ${tag} ${i}`)));
    const operations = groups.flatMap((g) => users.map((u) => ({ op: 'add', user: u.id, group: g.id, role: 'learner' })));
    const first = await startProcess();
    const submitted = await fetch(`${first.base}/api/v1/bulk/memberships`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operations }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };

    // Kill it once some, but not all, batches are committed.
    for (let i = 0; i < 600; i++) {
      const op = await t.db.prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
      if (op.processed > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    const atCrash = await t.db.prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
    expect(atCrash.processed).toBeGreaterThan(0);
    expect(atCrash.processed).toBeLessThan(operations.length);

    await startProcess();
    let done = atCrash;
    for (let i = 0; i < 240 && done.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      done = await t.db.prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
    }
    expect(done).toMatchObject({ status: 'completed', processed: 20_000, succeeded: 20_000, failed: 0 });
    expect(await t.db.prisma.membership.count({ where: { groupId: { in: groups.map((g) => g.id) } } })).toBe(20_000);
    expect(await t.db.prisma.outboxEvent.count({ where: { type: 'group.member.added', payload: { path: ['groupId'], equals: groups[0]!.id } } })).toBe(5000);
  }, 400_000);
});
