/**
 * `pnpm bench:import` (not a test): a 10,000-row people file (half new people, half updates, each row in two groups
 * of a tree with an assigned program) analysed (the dry run) then applied, as the worker does it, batch by batch.
 * On the PostgreSQL server when DATABASE_URL is set (a fresh database is created and dropped), else on an in-memory
 * embedded database. Prints the times; BENCH_ROWS changes the size.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { ensureWorkspace } from '../src/db/bootstrap.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadEnv } from '../src/env.ts';
import { processPeopleImport } from '../src/modules/imports/people-apply.ts';
import { openBenchDb } from './bench-db.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);


const seconds = (start: number) => Math.round(performance.now() - start) / 1000;

const { db, drop } = await openBenchDb('covey_bench_import');
try {
  await migrate(db);
  await ensureWorkspace(db);
  const env = loadEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', COVEY_FILES_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'covey-bench-')) });
  const app = await buildApp({ env, db, jobs: false });
  await app.ready();
  const prisma = db.prisma;
  const admin = await prisma.user.create({ data: { email: 'admin@bench.covey', firstName: 'A', lastName: 'Dmin', role: 'admin' } });
  const token = app.jwt.sign({ typ: 'access', sub: admin.id, role: 'admin' });
  const france = await prisma.group.create({ data: { name: 'France' } });
  await prisma.group.create({ data: { name: 'Paris', parentId: france.id } });
  await prisma.group.create({ data: { name: 'Lyon', parentId: france.id, externalId: 'lyon' } });
  for (let i = 0; i < 200; i++) await prisma.group.create({ data: { name: `Team ${i}`, parentId: france.id } });
  const program = await prisma.program.create({ data: { title: 'Onboarding', status: 'published', steps: { create: [{ position: 0, title: 'Start' }] } } });
  await app.inject({ method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${france.id}`, headers: { authorization: `Bearer ${token}` } });
  const existing = Array.from({ length: ROWS / 2 }, (_, i) => ({ id: randomUUID(), email: `p${i}@bench.covey`, firstName: 'Old', lastName: `${i}` }));
  for (let i = 0; i < existing.length; i += 2500) await prisma.user.createMany({ data: existing.slice(i, i + 2500) });

  const lines = ['email,externalId,firstName,lastName,role,groups'];
  for (let i = 0; i < ROWS; i++) lines.push(`p${i}@bench.covey,hr-${i},Person,${i},learner,France/Paris|ext:lyon:observer`);
  const file = Buffer.from(lines.join('\n'));

  let start = performance.now();
  const analysed = await app.inject({
    method: 'POST',
    url: '/api/v1/imports/people',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    payload: file,
  });
  const dryRun = seconds(start);
  if (analysed.statusCode !== 201) throw new Error(analysed.body);
  const { id, plan } = analysed.json<{ id: string; plan: Record<string, number> }>();
  await app.inject({ method: 'POST', url: `/api/v1/imports/people/${id}/apply`, headers: { authorization: `Bearer ${token}` }, payload: {} });
  start = performance.now();
  await processPeopleImport(app, id);
  const apply = seconds(start);
  const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/people/${id}`, headers: { authorization: `Bearer ${token}` } })).json<{ status: string; result: Record<string, number> }>();
  const enrolled = await prisma.enrollment.count({ where: { programId: program.id } });
  const mails = await prisma.mailMessage.count({ where: { kind: 'invitation' } });

  console.log(`\n${ROWS} rows (${(file.length / 1024 / 1024).toFixed(2)} MiB) · database: ${db.kind} · ${os.cpus().length} cores`);
  console.log('| step | seconds | rows/s |\n|---|---|---|');
  console.log(`| upload + dry run (${JSON.stringify(plan)}) | ${dryRun} | ${Math.round(ROWS / dryRun)} |`);
  console.log(`| apply in batches of 1,000 (${done.status}, ${JSON.stringify(done.result)}) | ${apply} | ${Math.round(ROWS / apply)} |`);
  console.log(`enrolled: ${enrolled}, invitations queued: ${mails}`);
  await app.close();
} finally {
  await db.close();
  await drop();
}
