import { getMyGroupsQueryOptions } from '@/features/groups/api/get-my-groups';
import { getMyDocumentsQueryOptions } from '@/features/me/api/get-my-documents';
import { getMyStatsQueryOptions } from '@/features/me/api/get-my-stats';
import { getNotificationsQueryOptions } from '@/features/notifications/api/get-notifications';
import { getPostsQueryOptions } from '@/features/posts/api/get-posts';
import { getMyProgramsQueryOptions } from '@/features/programs/api/get-my-programs';
import { getMeQueryOptions } from '@/lib/auth';
import { nextTask } from '@/lib/next-task';
import { queryClient } from '@/lib/react-query';
import { settledWithin } from '@/lib/settled-within';
import { tokenStorage } from '@/lib/token-storage';

// A failed request is the page's to show: its section asks again and shows the error.
const settle = (request: Promise<unknown>) =>
  request.then(
    () => undefined,
    () => undefined,
  );

// What the home page shows (and `GET /me`), each taken from the cache when there (`staleTime: 'static'`).
const cached = { staleTime: 'static' } as const;
const homeRequests = [
  () => queryClient.query({ ...getMeQueryOptions(), ...cached }),
  () => queryClient.infiniteQuery({ ...getPostsQueryOptions({ kind: 'feed' }), ...cached }),
  () => queryClient.query({ ...getMyGroupsQueryOptions(), ...cached }),
  () => queryClient.query({ ...getMyProgramsQueryOptions(), ...cached }),
  () => queryClient.query({ ...getMyStatsQueryOptions(), ...cached }),
  () => queryClient.query({ ...getMyDocumentsQueryOptions(), ...cached }),
  () => queryClient.infiniteQuery({ ...getNotificationsQueryOptions(), ...cached }),
];

/** The longest the home page waits for its data before it renders what has come (the rest behind skeletons). */
const HOME_WAIT_MS = 1_500;

let ready: Promise<void> | undefined;

/**
 * What the home page waits for before it renders (with `use()`): its requests (and `GET /me`) answered, so that it
 * renders and commits once with everything, where an answer per section meant a render and a commit each, which
 * blocked a phone's main thread six times over. Only what the cache does not hold is waited for, and only on the
 * first visit of the page: a return renders at once from the cache and the sections refresh what is stale as they
 * mount (after a change of user, the sections load with their skeletons). It waits `HOME_WAIT_MS` at most: one slow
 * answer does not hold the whole page back. Requests already under way (`sendHomeRequests`) are not sent again.
 */
export function homeReady(): Promise<void> {
  ready ??= settledWithin(
    homeRequests.map((send) => send()),
    HOME_WAIT_MS,
  );
  return ready;
}

/**
 * Sends the home page's requests before the first render, when a visit lands on the home page signed in: one task
 * each, since each costs a phone a few milliseconds (the request, the query's set-up) and together they made one long
 * task.
 */
export async function sendHomeRequests() {
  if (!tokenStorage.getAccessToken()) return;
  for (const send of homeRequests) {
    void settle(send());
    await nextTask();
  }
}
