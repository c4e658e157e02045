import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { webBoundaries } from './eslint.boundaries.mjs';

// The boundary blocks alone, as the root config applies them to the web app's files (paths from the repo root).
const linter = new Linter({ configType: 'flat', cwd: new URL('../..', import.meta.url).pathname });
const config = [{ languageOptions: { ecmaVersion: 2023, sourceType: 'module' } }, ...webBoundaries];
const problems = (file, source) =>
  linter.verify(source, config, { filename: `apps/web/src/${file}` }).map((m) => m.ruleId ?? m.message);

describe('the web feature boundaries', () => {
  it('let a feature import the shared layers and its own folders', () => {
    const source = [
      "import { api } from '@/lib/api-client';",
      "import { ConfirmDialog } from '@/components/ui/confirm-dialog';",
      "import { paths } from '@/config/paths';",
      "import { useGroup } from '@/features/groups/api/get-group';",
      "import { useGroup as g } from '../api/get-group';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(problems('features/groups/components/group-editor.tsx', source)).toEqual([]);
  });

  it('refuse a feature importing another feature, by alias or by climbing out of its folder', () => {
    expect(problems('features/groups/components/x.tsx', "import { usePrograms } from '@/features/programs/api/get-programs';")).toEqual([
      'no-restricted-imports',
    ]);
    expect(problems('features/groups/components/x.tsx', "import { usePrograms } from '../../programs/api/get-programs';")).toEqual([
      'no-restricted-imports',
    ]);
    // A name that starts like the feature's is another feature all the same.
    expect(problems('features/me/api/x.ts', "import { y } from '@/features/members/api/y';")).toEqual(['no-restricted-imports']);
  });

  it('refuse a feature or a shared layer importing app/, and a shared layer importing a feature', () => {
    expect(problems('features/people/api/x.ts', "import { AppRoot } from '@/app/routes/app/root';")).toEqual(['no-restricted-imports']);
    expect(problems('lib/api/x.ts', "import { useGroup } from '@/features/groups/api/get-group';")).toEqual(['no-restricted-imports']);
    expect(problems('components/ui/x.tsx', "import { useGroup } from '../../features/groups/api/get-group';")).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('let app/ compose features', () => {
    const source = "import { GroupEditor } from '@/features/groups/components/group-editor';\nimport { GroupPrograms } from '@/features/programs/components/group-programs';";
    expect(problems('app/routes/admin/group-edit.tsx', source)).toEqual([]);
  });

  it('refuse the API code anywhere in the web app', () => {
    expect(problems('lib/x.ts', "import { buildApp } from '@covey/api';")).toEqual(['no-restricted-imports']);
    expect(problems('app/x.ts', "import { env } from '../../../api/src/env';")).toEqual(['no-restricted-imports']);
    expect(problems('features/groups/api/x.ts', "import { Db } from '@covey/api/src/db';")).toEqual(['no-restricted-imports']);
  });
});
