import { describeError } from '@/lib/errors';
import { useT } from '@/lib/i18n';

/** Grey placeholder lines while a section loads; announced once to screen readers. */
export function Skeleton({ lines = 3, label }: { lines?: number; label?: string }) {
  const t = useT();
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <div className="form-error" role="alert">
      <span>{describeError(error, t)}</span>
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

/** Said once an edit is saved (a live region, so screen readers hear it too); nothing before. */
export function SavedNotice({ saved }: { saved: boolean }) {
  const t = useT();
  if (!saved) return null;
  return (
    <p role="status" className="notice-success">
      {t('admin.saved')}
    </p>
  );
}
