import { memo, useDeferredValue } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useCreatePost } from '../api/create-post';
import { usePosts, type PostSource, type PostsPage } from '../api/get-posts';
import { PostCard } from './post-card';
import { PostComposer } from './post-composer';

type Props = {
  source: PostSource;
  title: string;
  composerLabel: string;
  emptyText: string;
  /** Hide the composer where the caller may read but not write. */
  canPost?: boolean;
};

export function PostFeed({ source, title, composerLabel, emptyText, canPost = true }: Props) {
  const t = useT();
  const posts = usePosts(source);
  const create = useCreatePost(source);
  // The posts render in a transition: React draws the cards in slices between which the browser stays responsive,
  // rather than in one long task when a page of posts arrives (a phone's main thread, the page's other sections).
  const pages = useDeferredValue(posts.data?.pages);
  const headingId = `feed-${source.kind}-heading`;

  return (
    <section className="feed stack-sm" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {canPost && (
        <div className="card">
          <PostComposer
            withAttachments
            label={composerLabel}
            submitLabel={t('posts.publish')}
            onSubmit={(body, attachmentIds) => create.mutateAsync({ body, attachmentIds })}
            isPending={create.isPending}
            error={create.error}
          />
        </div>
      )}
      {(posts.isPending || (posts.isSuccess && !pages)) && <Skeleton lines={4} />}
      {posts.isError && <ErrorNotice error={posts.error} onRetry={() => void posts.refetch()} />}
      {pages && (pages.some((p) => p.items.length > 0) ? <PostList pages={pages} /> : <EmptyState title={emptyText} />)}
      {posts.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          onClick={() => void posts.fetchNextPage()}
          disabled={posts.isFetchingNextPage}
        >
          {posts.isFetchingNextPage ? t('common.loading') : t('posts.loadMore')}
        </button>
      )}
    </section>
  );
}

/** The cards of the pages loaded so far; memoized, so that only a new set of pages renders them again. */
const PostList = memo(function PostList({ pages }: { pages: PostsPage[] }) {
  return pages.flatMap((p) => p.items).map((post) => <PostCard key={post.id} post={post} />);
});
