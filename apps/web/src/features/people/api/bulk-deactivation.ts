import type { User } from '@covey/schema';
import { useUsersMutation } from './user-path';
import { deactivateUser, previewDeactivation } from './set-user-status';

/** What deactivating several people would do, summed from each one's dry run; who may not be deactivated, named. */
export type BulkDeactivationPreview = {
  people: User[];
  activeSessions: number;
  enrollments: number;
  refused: { user: User; reason: string }[];
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** At most `width` requests at a time, in order; every outcome kept. */
async function settleEach<T, R>(items: T[], width: number, run: (item: T) => Promise<R>) {
  const results: PromiseSettledResult<R>[] = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** Each selected person's dry run (nothing changes). */
export async function previewBulkDeactivation(users: User[]): Promise<BulkDeactivationPreview> {
  const active = users.filter((u) => u.status === 'active');
  const previews = await settleEach(active, 4, (u) => previewDeactivation(u.id));
  const summary: BulkDeactivationPreview = { people: [], activeSessions: 0, enrollments: 0, refused: [] };
  previews.forEach((result, i) => {
    const user = active[i]!;
    if (result.status === 'rejected') summary.refused.push({ user, reason: reasonOf(result.reason) });
    else {
      summary.people.push(user);
      summary.activeSessions += result.value.activeSessions;
      summary.enrollments += result.value.enrollments;
    }
  });
  return summary;
}

/** Deactivates the people the dry run cleared; answers how many were and who failed. */
export const useDeactivateMany = () =>
  useUsersMutation(async (users: User[]) => {
    const results = await settleEach(users, 4, (u) => deactivateUser(u.id));
    const failed = users.filter((_, i) => results[i]!.status === 'rejected');
    return { done: users.length - failed.length, failed };
  });
