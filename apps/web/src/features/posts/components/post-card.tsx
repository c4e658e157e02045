import type { Post } from '@covey/schema';
import { useState } from 'react';
import { Avatar } from '@/components/ui/avatar';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useI18n } from '@/lib/i18n';
import { useCreateComment } from '../api/create-comment';
import { useComments } from '../api/get-comments';
import { useToggleLike } from '../api/toggle-like';
import { PostComposer } from './post-composer';

function PostBody({ post }: { post: Post }) {
  const { t, formatDate } = useI18n();
  const name = `${post.author.firstName} ${post.author.lastName}`;
  return (
    <>
      <header className="post-header">
        <Avatar firstName={post.author.firstName} lastName={post.author.lastName} />
        <div>
          <span className="item-title">{name}</span>
          <span className="muted small">
            {' · '}
            <time dateTime={post.createdAt}>{formatDate(post.createdAt)}</time>
            {post.editedAt && ` · ${t('posts.edited')}`}
          </span>
        </div>
      </header>
      {/* The API renders the Markdown and sanitizes the HTML (see Post.html in @covey/schema). */}
      <div className="post-body" dangerouslySetInnerHTML={{ __html: post.html }} />
    </>
  );
}

function LikeButton({ post }: { post: Post }) {
  const { t } = useI18n();
  const toggle = useToggleLike();
  return (
    <button
      type="button"
      className="link-button"
      aria-pressed={post.likedByMe}
      disabled={toggle.isPending}
      onClick={() => toggle.mutate(post)}
    >
      <span aria-hidden="true">{post.likedByMe ? '♥' : '♡'}</span> {t('posts.like')}{' '}
      <span className="muted">({post.likeCount})</span>
    </button>
  );
}

function Comments({ postId }: { postId: string }) {
  const { t } = useI18n();
  const comments = useComments(postId, { enabled: true });
  const create = useCreateComment(postId);
  const items = comments.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="comments">
      {comments.isPending && <Skeleton lines={1} />}
      {comments.isError && <ErrorNotice error={comments.error} onRetry={() => void comments.refetch()} />}
      {items.length > 0 && (
        <ul className="comment-list" aria-label={t('posts.comments')}>
          {items.map((comment) => (
            <li key={comment.id} className="comment">
              <PostBody post={comment} />
              <LikeButton post={comment} />
            </li>
          ))}
        </ul>
      )}
      {comments.hasNextPage && (
        <button type="button" className="link-button" onClick={() => void comments.fetchNextPage()}>
          {t('posts.moreComments')}
        </button>
      )}
      <PostComposer
        compact
        label={t('posts.commentLabel')}
        submitLabel={t('posts.comment')}
        onSubmit={(body) => create.mutateAsync({ body })}
        isPending={create.isPending}
        error={create.error}
      />
    </div>
  );
}

export function PostCard({ post }: { post: Post }) {
  const { t } = useI18n();
  const [showComments, setShowComments] = useState(false);
  const commentsId = `comments-${post.id}`;
  return (
    <article className="post card" aria-label={t('posts.by', { name: `${post.author.firstName} ${post.author.lastName}` })}>
      <PostBody post={post} />
      <div className="post-actions">
        <LikeButton post={post} />
        <button
          type="button"
          className="link-button"
          aria-expanded={showComments}
          aria-controls={commentsId}
          onClick={() => setShowComments((v) => !v)}
        >
          {t('posts.commentsCount', { count: post.commentCount })}
        </button>
      </div>
      <div id={commentsId}>{showComments && <Comments postId={post.id} />}</div>
    </article>
  );
}
