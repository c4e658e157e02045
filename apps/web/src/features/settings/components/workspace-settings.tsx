import { useId, type FormEvent } from 'react';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { formText } from '@/lib/form';
import { useT } from '@/lib/i18n';
import { usePatchWorkspace, useWorkspace, type DigestFrequency } from '../api/workspace';

/** How often observers get the summary e-mail, and after how many days a learner counts as inactive. */
export function WorkspaceSettingsSection() {
  const t = useT();
  const id = useId();
  const workspace = useWorkspace();
  const save = usePatchWorkspace();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate({
      digestFrequency: formText(data, 'digestFrequency') as DigestFrequency,
      inactiveDays: Number(formText(data, 'inactiveDays')),
    });
  };

  return (
    <section className="card stack-sm" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('integrations.workspace')}</h2>
      {workspace.isPending && <Skeleton lines={2} />}
      {workspace.isError && <ErrorNotice error={workspace.error} onRetry={() => void workspace.refetch()} />}
      {workspace.data && (
        <form className="form" onSubmit={submit} key={`${workspace.data.digestFrequency}-${workspace.data.inactiveDays}`}>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-digest`}>{t('integrations.digestFrequency')}</label>
              <select id={`${id}-digest`} name="digestFrequency" defaultValue={workspace.data.digestFrequency}>
                <option value="daily">{t('integrations.digest.daily')}</option>
                <option value="weekly">{t('integrations.digest.weekly')}</option>
                <option value="never">{t('integrations.digest.never')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-inactive`}>{t('integrations.inactiveDays')}</label>
              <input
                id={`${id}-inactive`}
                name="inactiveDays"
                type="number"
                min={1}
                max={365}
                required
                defaultValue={workspace.data.inactiveDays}
              />
            </div>
          </div>
          {save.isError && <ErrorNotice error={save.error} />}
          {save.isSuccess && (
            <p role="status" className="notice-success">
              {t('integrations.saved')}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('common.save')}
          </button>
        </form>
      )}
    </section>
  );
}
