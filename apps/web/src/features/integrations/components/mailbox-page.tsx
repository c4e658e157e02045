import { useDeferredValue, useId, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useI18n } from '@/lib/i18n';
import { useMailbox } from '../api/get-mailbox';

/** The dev mailbox: every e-mail the workspace would have sent, for checking notifications without an SMTP server. */
export function MailboxPage() {
  const { t, formatDate } = useI18n();
  const id = useId();
  const [to, setTo] = useState('');
  const deferred = useDeferredValue(to.trim());
  const mails = useMailbox(deferred || undefined);
  const items = mails.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="stack" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>{t('admin.mailbox')}</h1>
      <div className="field narrow-field">
        <label htmlFor={`${id}-to`}>{t('admin.recipient')}</label>
        <input id={`${id}-to`} type="search" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {mails.isPending && <Skeleton lines={4} />}
      {mails.isError && <ErrorNotice error={mails.error} />}
      {mails.isSuccess && items.length === 0 && <EmptyState title={t('admin.noMail')} />}
      {items.map((mail) => (
        <details key={mail.id} className="card mail">
          <summary>
            <span className="item-title">{mail.subject}</span>{' '}
            <span className="muted small">
              {t('admin.to')} {mail.to} · {formatDate(mail.createdAt)} · {mail.status}
            </span>
          </summary>
          <pre className="mail-text">{mail.text}</pre>
        </details>
      ))}
      {mails.hasNextPage && (
        <button type="button" className="button" onClick={() => void mails.fetchNextPage()}>
          {t('posts.loadMore')}
        </button>
      )}
    </section>
  );
}
