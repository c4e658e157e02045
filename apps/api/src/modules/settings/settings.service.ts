import type { Deps } from '../../lib/deps.ts';
import type { Database } from '../../db/database.ts';
import type { Principal } from '../../lib/principal.ts';
import { authorize } from '../../policy/index.ts';

export type WorkspaceSettings = { name: string; digestFrequency: 'daily' | 'weekly' | 'never'; inactiveDays: number };

/** The workspace's settings (one row): its name, the observer digest frequency, the inactivity threshold. */
export async function readSettings(db: Database): Promise<WorkspaceSettings> {
  const w = await db.prisma.workspace.findUniqueOrThrow({ where: { id: 1 } });
  return { name: w.name, digestFrequency: w.digestFrequency, inactiveDays: w.inactiveDays };
}

/** Workspace settings, read and changed by whoever the policy lets (workspace admins). */
export function settingsService(deps: Deps<'db'>) {
  return {
    async get(principal: Principal) {
      authorize(principal, 'workspaceSettings');
      return readSettings(deps.db);
    },

    async update(principal: Principal, changes: Partial<WorkspaceSettings>) {
      authorize(principal, 'workspaceSettings');
      const w = await deps.db.prisma.workspace.update({ where: { id: 1 }, data: changes });
      return { name: w.name, digestFrequency: w.digestFrequency, inactiveDays: w.inactiveDays };
    },
  };
}
