import { useId, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useI18n } from '@/lib/i18n';
import { downloadDocument, useMyDocuments, type MyDocument } from '../api/get-my-documents';

const formatSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Certificates and files the learner received, each downloadable. */
export function MyDocumentsSection() {
  const { t, formatDate } = useI18n();
  const id = useId();
  const documents = useMyDocuments();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const download = async (doc: MyDocument) => {
    setBusy(doc.id);
    setError(null);
    try {
      await downloadDocument(doc);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('me.documents')}</h2>
      {documents.isPending && <Skeleton lines={2} />}
      {documents.isError && <ErrorNotice error={documents.error} onRetry={() => void documents.refetch()} />}
      {error !== null && <ErrorNotice error={error} />}
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
                    {doc.kind === 'certificate' ? t('me.certificate') : t('me.file')} · {formatSize(doc.size)} ·{' '}
                    {formatDate(doc.createdAt)}
                  </span>
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void download(doc)}
                  disabled={busy === doc.id}
                >
                  {t('me.download')}
                  <span className="visually-hidden"> {doc.title}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
