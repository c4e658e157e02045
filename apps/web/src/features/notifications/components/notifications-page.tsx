import type { Notification } from '@covey/schema';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useI18n, type Translate } from '@/lib/i18n';
import { useNotifications } from '../api/get-notifications';
import { useMarkNotificationsRead } from '../api/mark-notifications-read';

function describe(n: Notification, t: Translate): string {
  const actor = n.actor ? `${n.actor.firstName} ${n.actor.lastName}` : t('notifications.someone');
  switch (n.type) {
    case 'group_post':
      return t('notifications.groupPost', { actor, group: n.group?.name ?? '' });
    case 'group_comment':
      return t('notifications.groupComment', { actor, group: n.group?.name ?? '' });
    case 'program_comment':
      return t('notifications.programComment', { actor, program: n.program?.title ?? '' });
    case 'comment_reply':
      return t('notifications.commentReply', { actor });
    case 'reminder':
      return t('notifications.reminder', { actor });
    case 'webhook_disabled':
      return t('notifications.webhookDisabled');
  }
}

function target(n: Notification): string {
  if (n.type === 'webhook_disabled') return paths.admin.integrations.getHref();
  if ((n.type === 'group_post' || n.type === 'group_comment') && n.group) return paths.group.getHref(n.group.id);
  if (n.program) return paths.program.getHref(n.program.id);
  if (n.group) return paths.group.getHref(n.group.id);
  return paths.home.getHref();
}

export function NotificationsPage() {
  const { t, formatDate } = useI18n();
  const notifications = useNotifications();
  const markRead = useMarkNotificationsRead();
  const items = notifications.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = notifications.data?.pages[0]?.unreadCount ?? 0;

  return (
    <div className="stack narrow">
      <div className="page-title-row">
        <h1>{t('notifications.title')}</h1>
        <button
          type="button"
          className="button"
          disabled={unread === 0 || markRead.isPending}
          onClick={() => markRead.mutate({ all: true })}
        >
          {t('notifications.markAll')}
        </button>
      </div>
      {markRead.isError && <ErrorNotice error={markRead.error} />}
      {notifications.isPending && <Skeleton lines={4} />}
      {notifications.isError && <ErrorNotice error={notifications.error} onRetry={() => void notifications.refetch()} />}
      {notifications.isSuccess && items.length === 0 && (
        <EmptyState title={t('notifications.empty')}>{t('notifications.emptyHint')}</EmptyState>
      )}
      {items.length > 0 && (
        <ul className="card item-list notification-list" aria-label={t('notifications.title')}>
          {items.map((n) => (
            <li key={n.id} className={`item notification${n.readAt ? '' : ' unread'}`}>
              <div className="item-main">
                <Link
                  to={target(n)}
                  className="item-title"
                  onClick={() => {
                    if (!n.readAt) markRead.mutate({ ids: [n.id] });
                  }}
                >
                  {describe(n, t)}
                </Link>
                {(n.post?.excerpt ?? n.message) && <span className="excerpt">{n.post?.excerpt ?? n.message}</span>}
                <span className="muted small">
                  <time dateTime={n.createdAt}>{formatDate(n.createdAt)}</time>
                  {!n.readAt && ` · ${t('notifications.unread')}`}
                </span>
              </div>
              {!n.readAt && (
                <button type="button" className="link-button" onClick={() => markRead.mutate({ ids: [n.id] })}>
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {notifications.hasNextPage && (
        <button type="button" className="button" onClick={() => void notifications.fetchNextPage()}>
          {t('posts.loadMore')}
        </button>
      )}
    </div>
  );
}
