import { getMyGroupsQueryOptions } from '@/features/groups/api/get-my-groups';
import { getMyDocumentsQueryOptions } from '@/features/me/api/get-my-documents';
import { getMyStatsQueryOptions } from '@/features/me/api/get-my-stats';
import { getNotificationsQueryOptions } from '@/features/notifications/api/get-notifications';
import { getPostsQueryOptions } from '@/features/posts/api/get-posts';
import { getMyProgramsQueryOptions } from '@/features/programs/api/get-my-programs';
import { queryClient } from '@/lib/react-query';
import { tokenStorage } from '@/lib/token-storage';

/**
 * The home page's loader: it starts the page's requests as the router starts, beside `GET /me` and the page's own
 * code, instead of after both (they need only the token). Not awaited: the page renders its skeletons and each
 * section takes its answer from the cache. Queries still fresh are not asked again (prefetch respects staleTime).
 */
export function homeLoader() {
  if (tokenStorage.getAccessToken()) {
    void queryClient.prefetchQuery(getMyGroupsQueryOptions());
    void queryClient.prefetchQuery(getMyProgramsQueryOptions());
    void queryClient.prefetchInfiniteQuery(getPostsQueryOptions({ kind: 'feed' }));
    void queryClient.prefetchQuery(getMyStatsQueryOptions());
    void queryClient.prefetchQuery(getMyDocumentsQueryOptions());
    void queryClient.prefetchInfiniteQuery(getNotificationsQueryOptions());
  }
  return null;
}
