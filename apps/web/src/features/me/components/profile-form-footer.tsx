import { ErrorNotice } from '@/components/ui/query-state';

type Props = {
  submitLabel: string;
  pending: boolean;
  /** Said once the change is saved (a live region, so screen readers hear it too). */
  done: string | null;
  /** An answer of the API no field of the form explains. */
  error?: unknown;
};

/** The end of each profile form: its button, then what came of it. */
export function ProfileFormFooter({ submitLabel, pending, done, error }: Props) {
  return (
    <>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={pending}>
          {submitLabel}
        </button>
      </div>
      <p role="status" className={done ? 'notice-success' : 'visually-hidden'}>
        {done ?? ''}
      </p>
      {error != null && <ErrorNotice error={error} />}
    </>
  );
}
