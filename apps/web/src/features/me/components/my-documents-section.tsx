import { useId } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { formatSize } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { usePendingAction } from '@/lib/use-pending-action';
import { downloadDocument, useMyDocuments } from '../api/get-my-documents';
import { useMyStats } from '../api/get-my-stats';

/** Certificates and files the learner received, each downloadable. */
export function MyDocumentsSection() {
  const { t, formatDate, locale } = useI18n();
  const id = useId();
  // A program just completed: its certificate follows within seconds, so the list keeps asking until it is there.
  const completedPrograms = useMyStats().data?.programs.completed;
  const documents = useMyDocuments({ completedPrograms });
  const download = usePendingAction();

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('me.documents')}</h2>
      {documents.isPending && <Skeleton lines={2} />}
      {documents.isError && <ErrorNotice error={documents.error} onRetry={() => void documents.refetch()} />}
      {download.error != null && <ErrorNotice error={download.error} />}
      {documents.data &&
        (documents.data.items.length === 0 ? (
          <EmptyState title={t('me.noDocuments')} />
        ) : (
          <ul className="item-list" aria-labelledby={`${id}-heading`}>
            {documents.data.items.map((doc) => (
              <li key={doc.id} className="item">
                <span className="item-main">
                  <span className="item-title">{doc.title}</span>
                  <span className="muted small">
                    {doc.kind === 'certificate' ? t('me.certificate') : t('me.file')} · {formatSize(doc.size, locale)} ·{' '}
                    {formatDate(doc.createdAt)}
                  </span>
                </span>
                <RowAction
                  subject={doc.title}
                  onClick={() => void download.run(doc.id, () => downloadDocument(doc))}
                  disabled={download.running === doc.id}
                >
                  {t('me.download')}
                </RowAction>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
