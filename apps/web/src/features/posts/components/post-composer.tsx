import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';

type Props = {
  label: string;
  submitLabel: string;
  onSubmit: (body: string) => Promise<unknown>;
  isPending: boolean;
  error: unknown;
  compact?: boolean;
};

/** A Markdown text box; the API renders and sanitizes the Markdown. */
export function PostComposer({ label, submitLabel, onSubmit, isPending, error, compact }: Props) {
  const t = useT();
  const id = useId();
  const [body, setBody] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      await onSubmit(body.trim());
      setBody('');
    } catch {
      // Shown through `error`; the text stays so nothing typed is lost.
    }
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
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
        }}
      />
      <div className="composer-footer">
        <span id={`${id}-hint`} className="muted small">
          {t('posts.markdownHint')}
        </span>
        <button type="submit" className="button button-primary" disabled={isPending || !body.trim()}>
          {submitLabel}
        </button>
      </div>
      {error != null && <ErrorNotice error={error} />}
    </form>
  );
}
