// Runs `prisma generate` offline: the CLI only needs the schema engine path to exist for `generate`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'prisma/tools/no-schema-engine.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const args = process.argv.slice(2);
const result = spawnSync(
  'pnpm',
  ['exec', 'prisma', args[0] ?? 'generate', '--schema', path.join(root, 'prisma/schema.prisma'), ...args.slice(1)],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
