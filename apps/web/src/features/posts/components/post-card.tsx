import type { Post } from '@covey/schema';
import { useState, type ReactNode } from 'react';
import { Avatar } from '@/components/ui/avatar';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { RichText } from '@/components/ui/rich-text';
import { useI18n } from '@/lib/i18n';
import { useCreateComment } from '../api/create-comment';
import { useDeletePost } from '../api/delete-post';
import { useComments } from '../api/get-comments';
import { useToggleLike } from '../api/toggle-like';
import { useUpdatePost } from '../api/update-post';
import { AttachmentList } from './attachment-list';
import { PostComposer } from './post-composer';

const authorName = (post: Post) => `${post.author.firstName} ${post.author.lastName}`;

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

/** Delete, asked twice: the second question names what goes (a post takes its comments with it). */
function DeleteControl({ post }: { post: Post }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const remove = useDeletePost();
  const isComment = post.parentId !== null;
  if (!confirming) {
    return (
      <button type="button" className="link-button" onClick={() => setConfirming(true)}>
        {t('posts.delete')}
      </button>
    );
  }
  return (
    <span className="confirm-inline" role="group" aria-label={t('posts.delete')}>
      <span>{isComment ? t('posts.confirmDeleteComment') : t('posts.confirmDeletePost')}</span>
      <button
        type="button"
        className="button button-danger"
        autoFocus
        disabled={remove.isPending}
        onClick={() => remove.mutate(post.id)}
      >
        {t('posts.deleteConfirm')}
      </button>
      <button type="button" className="button" onClick={() => setConfirming(false)}>
        {t('common.cancel')}
      </button>
      {remove.isError && <ErrorNotice error={remove.error} />}
    </span>
  );
}

/**
 * A post or a comment: author, Markdown body (or its editor), attachments, then the actions. `actions` are the
 * thread's own (like, comments); editing and deleting show where the API says the reader may.
 */
function PostContent({ post, actions }: { post: Post; actions: ReactNode }) {
  const { t, formatDate } = useI18n();
  const [editing, setEditing] = useState(false);
  const update = useUpdatePost(post.id);
  return (
    <>
      <header className="post-header">
        <Avatar firstName={post.author.firstName} lastName={post.author.lastName} />
        <div>
          <span className="item-title">{authorName(post)}</span>
          <span className="muted small">
            {' · '}
            <time dateTime={post.createdAt}>{formatDate(post.createdAt)}</time>
            {post.editedAt && ` · ${t('posts.edited')}`}
          </span>
        </div>
      </header>
      {editing ? (
        <PostComposer
          compact
          label={t('posts.editLabel')}
          submitLabel={t('common.save')}
          initialBody={post.body}
          onSubmit={async (body) => {
            await update.mutateAsync(body);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
          isPending={update.isPending}
          error={update.error}
        />
      ) : (
        <RichText html={post.html} />
      )}
      <AttachmentList attachments={post.attachments} />
      <div className="post-actions">
        {actions}
        {post.canEdit && !editing && (
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            {t('posts.edit')}
          </button>
        )}
        {post.canDelete && <DeleteControl post={post} />}
      </div>
    </>
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
            <li key={comment.id} className="comment" aria-label={t('posts.commentBy', { name: authorName(comment) })}>
              <PostContent post={comment} actions={<LikeButton post={comment} />} />
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
        withAttachments
        label={t('posts.commentLabel')}
        submitLabel={t('posts.comment')}
        onSubmit={(body, attachmentIds) => create.mutateAsync({ body, attachmentIds })}
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
    <article className="post card" aria-label={t('posts.by', { name: authorName(post) })}>
      <PostContent
        post={post}
        actions={
          <>
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
          </>
        }
      />
      <div id={commentsId}>{showComments && <Comments postId={post.id} />}</div>
    </article>
  );
}
