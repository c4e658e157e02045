import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';

type Props<P, R> = {
  title: string;
  /** The API's dry run of the action: what it would do, with nothing changed yet. */
  preview: () => Promise<P>;
  /** The consequence in words, from the dry run. */
  consequence: (preview: P) => ReactNode;
  /** Why the action cannot go ahead (say, subgroups left), or null when it can. */
  blockedBy?: (preview: P) => string | null;
  confirmLabel: string;
  /** `danger` (default) for what removes or ends something; `primary` for, say, sending an e-mail. */
  tone?: 'danger' | 'primary';
  confirm: () => Promise<R>;
  /** What was done, once it was (with the action's answer). */
  result: (preview: P, outcome: R) => string;
  onClose: () => void;
};

type Phase<P, R> =
  | { name: 'checking' }
  | { name: 'ready'; preview: P }
  | { name: 'working'; preview: P }
  | { name: 'done'; preview: P; outcome: R }
  | { name: 'failed'; preview: P | null; error: unknown };

/**
 * A destructive action in three steps: say what it will do (from a dry run), do it once confirmed, say what was
 * done. A native modal <dialog>: focus moves in and stays in, Escape closes it, focus goes back to the opener.
 * Render it only while open; it opens itself.
 */
export function ConfirmDialog<P, R = unknown>({
  title,
  preview,
  consequence,
  blockedBy,
  confirmLabel,
  tone = 'danger',
  confirm,
  result,
  onClose,
}: Props<P, R>) {
  const t = useT();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const [phase, setPhase] = useState<Phase<P, R>>({ name: 'checking' });
  // The first render's functions: the dry run runs once, even if the parent re-renders meanwhile.
  const [runPreview] = useState(() => preview);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    let live = true;
    runPreview().then(
      (p) => live && setPhase({ name: 'ready', preview: p }),
      (error: unknown) => live && setPhase({ name: 'failed', preview: null, error }),
    );
    return () => {
      live = false;
    };
  }, [runPreview, attempt]);

  useEffect(() => {
    // The confirm button is gone once the action is done: keep focus in the dialog, on the way out.
    if (phase.name === 'done') closeButton.current?.focus();
  }, [phase.name]);

  const go = async (p: P) => {
    setPhase({ name: 'working', preview: p });
    try {
      const outcome = await confirm();
      setPhase({ name: 'done', preview: p, outcome });
    } catch (error) {
      setPhase({ name: 'failed', preview: p, error });
    }
  };

  const shown = phase.name === 'checking' ? null : phase.preview;
  const blocked = shown !== null && blockedBy ? blockedBy(shown) : null;
  const canConfirm = shown !== null && blocked === null && (phase.name === 'ready' || phase.name === 'failed');

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onClose={onClose}
      // While the action runs, Escape would hide whether it happened.
      onCancel={(event) => phase.name === 'working' && event.preventDefault()}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`} role="status" className="stack-sm">
        {phase.name === 'checking' && <p className="muted">{t('admin.confirm.checking')}</p>}
        {shown !== null && phase.name !== 'done' && <div className="consequence">{consequence(shown)}</div>}
        {blocked && <p className="form-error">{blocked}</p>}
        {phase.name === 'done' && <p className="notice-success">{result(phase.preview, phase.outcome)}</p>}
      </div>
      {phase.name === 'failed' && (
        <ErrorNotice
          error={phase.error}
          onRetry={
            phase.preview === null
              ? () => {
                  setPhase({ name: 'checking' });
                  setAttempt((n) => n + 1);
                }
              : undefined
          }
        />
      )}
      <div className="button-row dialog-actions">
        {phase.name === 'done' ? (
          <button
            ref={closeButton}
            type="button"
            className="button button-primary"
            onClick={() => dialog.current?.close()}
          >
            {t('admin.confirm.close')}
          </button>
        ) : (
          <>
            {!blocked && (
              <button
                type="button"
                className={`button button-${tone}`}
                disabled={!canConfirm}
                onClick={() => shown !== null && void go(shown)}
              >
                {confirmLabel}
              </button>
            )}
            <button
              type="button"
              className="button"
              disabled={phase.name === 'working'}
              onClick={() => dialog.current?.close()}
            >
              {blocked ? t('admin.confirm.close') : t('common.cancel')}
            </button>
          </>
        )}
      </div>
    </dialog>
  );
}
