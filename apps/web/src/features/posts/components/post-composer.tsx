import { useId, useRef, useState, type FormEvent } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { ErrorNotice } from '@/components/ui/query-state';
import { formatSize } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS, useUploadAttachment, type UploadedAttachment } from '../api/attachments';

type Props = {
  label: string;
  submitLabel: string;
  onSubmit: (body: string, attachmentIds: string[]) => Promise<unknown>;
  isPending: boolean;
  error: unknown;
  compact?: boolean;
  /** Offer to attach images and PDFs (uploaded as soon as chosen, sent with the post). */
  withAttachments?: boolean;
  /** Editing: the text to start from, and a way back without saving. */
  initialBody?: string;
  onCancel?: () => void;
};

/** A Markdown text box; the API renders and sanitizes the Markdown. */
export function PostComposer(props: Props) {
  const { label, submitLabel, onSubmit, isPending, error, compact, withAttachments, initialBody, onCancel } = props;
  const { t, locale } = useI18n();
  const id = useId();
  const [body, setBody] = useState(initialBody ?? '');
  const [attachments, setAttachments] = useState<UploadedAttachment[]>([]);
  const upload = useUploadAttachment();
  const fileInput = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      await onSubmit(
        body.trim(),
        attachments.map((a) => a.id),
      );
      setBody('');
      setAttachments([]);
    } catch {
      // Shown through `error`; the text stays so nothing typed is lost.
    }
  };

  const attach = async (files: FileList | null) => {
    for (const file of Array.from(files ?? []).slice(0, MAX_ATTACHMENTS - attachments.length)) {
      try {
        const uploaded = await upload.mutateAsync(file);
        setAttachments((current) => [...current, uploaded]);
      } catch {
        // Shown through upload.error; the other files still go.
      }
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <form className={`composer${compact ? ' composer-compact' : ''}`} onSubmit={submit}>
      <label htmlFor={id} className={compact ? 'visually-hidden' : 'composer-label'}>
        {label}
      </label>
      <textarea
        id={id}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        rows={compact ? 2 : 3}
        maxLength={20_000}
        aria-describedby={`${id}-hint`}
        autoFocus={initialBody !== undefined}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
          if (e.key === 'Escape' && onCancel) onCancel();
        }}
      />
      {attachments.length > 0 && (
        <ul className="attachment-chips" aria-label={t('posts.attachments')}>
          {attachments.map((a) => (
            <li key={a.id} className="attachment-chip">
              <span>
                {a.name ?? t('posts.attachment')} <span className="muted small">({formatSize(a.size, locale)})</span>
              </span>
              <RowAction
                subject={a.name}
                onClick={() => setAttachments((current) => current.filter((x) => x.id !== a.id))}
              >
                {t('posts.removeAttachment')}
              </RowAction>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-footer">
        <span id={`${id}-hint`} className="muted small">
          {t('posts.markdownHint')}
        </span>
        <span className="button-row">
          {withAttachments && (
            <>
              <input
                ref={fileInput}
                id={`${id}-files`}
                type="file"
                accept={ATTACHMENT_TYPES}
                multiple
                className="visually-hidden"
                disabled={upload.isPending || attachments.length >= MAX_ATTACHMENTS}
                onChange={(e) => void attach(e.target.files)}
              />
              <label htmlFor={`${id}-files`} className="button file-button">
                {upload.isPending ? t('posts.uploading') : t('posts.attach')}
              </label>
            </>
          )}
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={isPending || upload.isPending || !body.trim()}>
            {submitLabel}
          </button>
        </span>
      </div>
      {upload.error != null && <ErrorNotice error={upload.error} />}
      {error != null && <ErrorNotice error={error} />}
    </form>
  );
}
