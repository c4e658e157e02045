import { useId } from 'react';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useDigestPreview } from '../api/get-digest-preview';

/** What the next summary e-mail will say, so observers know what they will receive. */
export function DigestPreview() {
  const t = useT();
  const id = useId();
  const digest = useDigestPreview();
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('dashboard.digest')}</h2>
      {digest.isPending && <Skeleton lines={3} />}
      {digest.isError && <ErrorNotice error={digest.error} onRetry={() => void digest.refetch()} />}
      {digest.data && (
        <>
          <p className="muted small">
            {digest.data.willSend ? t('dashboard.digestWillSend', { period: digest.data.period }) : t('dashboard.digestNothing')}
          </p>
          <details>
            <summary>{digest.data.subject}</summary>
            <pre className="mail-text">{digest.data.text}</pre>
          </details>
        </>
      )}
    </section>
  );
}
