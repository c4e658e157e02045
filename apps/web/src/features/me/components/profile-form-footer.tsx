import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useUpdateMe, type UpdateMeBody } from '../api/update-me';

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

/**
 * A profile form's saving: `submit` sends what `toBody` reads of the form (then `onSaved` runs with it);
 * `footer` is what the form's footer shows of it ("saved" once done).
 */
export function useProfileSave<B extends UpdateMeBody>(toBody: (data: FormData) => B, onSaved?: (body: B) => void) {
  const t = useT();
  const update = useUpdateMe();
  const [saved, setSaved] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = toBody(new FormData(event.currentTarget));
    setSaved(false);
    update.mutate(body, {
      onSuccess: () => {
        onSaved?.(body);
        setSaved(true);
      },
    });
  };
  return {
    submit,
    footer: { pending: update.isPending, done: saved ? t('profile.saved') : null, error: update.error },
  };
}
