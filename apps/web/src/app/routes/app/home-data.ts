import { getMyGroupsQueryOptions } from '@/features/groups/api/get-my-groups';
import { getMyDocumentsQueryOptions } from '@/features/me/api/get-my-documents';
import { getMyStatsQueryOptions } from '@/features/me/api/get-my-stats';
import { getNotificationsQueryOptions } from '@/features/notifications/api/get-notifications';
import { getPostsQueryOptions } from '@/features/posts/api/get-posts';
import { getMyProgramsQueryOptions } from '@/features/programs/api/get-my-programs';
import { getMeQueryOptions } from '@/lib/auth';
import { queryClient } from '@/lib/react-query';
import { tokenStorage } from '@/lib/token-storage';

// A failed request is the page's to show: its section asks again and shows the error.
const settle = (request: Promise<unknown>) =>
  request.then(
    () => undefined,
    () => undefined,
  );

/**
 * The home page's loader: it sends the page's requests (and `GET /me`) as the router starts, beside the page's own
 * code, and the page renders once they have answered: one render and one commit with everything, where an answer
 * per section meant a render and a commit each, which blocked a phone's main thread six times over. Only what the
 * cache does not hold is waited for (`staleTime: 'static'`): a return to the home renders at once from the cache and
 * the sections refresh what is stale as they mount.
 */
export async function homeLoader() {
  if (tokenStorage.getAccessToken()) {
    const cached = { staleTime: 'static' } as const;
    await Promise.all([
      settle(queryClient.query({ ...getMeQueryOptions(), ...cached })),
      settle(queryClient.query({ ...getMyGroupsQueryOptions(), ...cached })),
      settle(queryClient.query({ ...getMyProgramsQueryOptions(), ...cached })),
      settle(queryClient.infiniteQuery({ ...getPostsQueryOptions({ kind: 'feed' }), ...cached })),
      settle(queryClient.query({ ...getMyStatsQueryOptions(), ...cached })),
      settle(queryClient.query({ ...getMyDocumentsQueryOptions(), ...cached })),
      settle(queryClient.infiniteQuery({ ...getNotificationsQueryOptions(), ...cached })),
    ]);
  }
  return null;
}
