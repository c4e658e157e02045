import type { Program } from '@covey/schema';
import { useId, useState, type FormEvent } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { programStatusLabels } from './programs-list';
import { UserPicker } from '@/components/user-picker';

type Status = Program['status'];
type StepDraft = { key: string; id?: string; title: string; content: string };
export type ProgramFormValues = {
  title: string;
  description: string;
  status: Status;
  endsAt: string;
  referent: { id: string; name: string } | null;
  steps: StepDraft[];
};

let nextKey = 0;
const newKey = () => `step-${(nextKey += 1)}`;

export const programFormValues = (program?: Program): ProgramFormValues => ({
  title: program?.title ?? '',
  description: program?.description ?? '',
  status: program?.status ?? 'draft',
  endsAt: program?.endsAt ? program.endsAt.slice(0, 10) : '',
  referent: program?.referent
    ? { id: program.referent.id, name: `${program.referent.firstName} ${program.referent.lastName}` }
    : null,
  steps: (program?.steps ?? [])
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((s) => ({ key: s.id, id: s.id, title: s.title, content: s.content })),
});

/** The API body both for create and PATCH: steps keep their id so progress on them survives an edit. */
export const toProgramBody = (v: ProgramFormValues) => ({
  title: v.title,
  description: v.description || null,
  status: v.status,
  endsAt: v.endsAt ? new Date(`${v.endsAt}T23:59:59Z`).toISOString() : null,
  referentId: v.referent?.id ?? null,
  steps: v.steps.map((s) => ({ ...(s.id ? { id: s.id } : {}), title: s.title, content: s.content })),
});

type Props = {
  initial: ProgramFormValues;
  submitLabel: string;
  isPending: boolean;
  error: unknown;
  onSubmit: (values: ProgramFormValues) => void;
};

export function ProgramForm({ initial, submitLabel, isPending, error, onSubmit }: Props) {
  const t = useT();
  const id = useId();
  const [v, setV] = useState(initial);
  const setStep = (key: string, patch: Partial<StepDraft>) =>
    setV((x) => ({ ...x, steps: x.steps.map((s) => (s.key === key ? { ...s, ...patch } : s)) }));
  const move = (index: number, delta: number) =>
    setV((x) => {
      const steps = [...x.steps];
      const [step] = steps.splice(index, 1);
      if (step) steps.splice(index + delta, 0, step);
      return { ...x, steps };
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(v);
  };

  return (
    <form className="form card" onSubmit={submit} aria-label={submitLabel}>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('admin.programTitle')}</label>
        <input id={`${id}-title`} value={v.title} onChange={(e) => setV({ ...v, title: e.target.value })} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>{t('admin.description')}</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={v.description}
          onChange={(e) => setV({ ...v, description: e.target.value })}
        />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('admin.status')}</label>
          <select id={`${id}-status`} value={v.status} onChange={(e) => setV({ ...v, status: e.target.value as Status })}>
            {(['draft', 'published', 'archived'] as const).map((s) => (
              <option key={s} value={s}>
                {t(programStatusLabels[s])}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-ends`}>{t('admin.endsAt')}</label>
          <input id={`${id}-ends`} type="date" value={v.endsAt} onChange={(e) => setV({ ...v, endsAt: e.target.value })} />
        </div>
      </div>
      <fieldset className="fieldset">
        <legend>{t('admin.referent')}</legend>
        <p>
          {v.referent ? v.referent.name : <span className="muted">{t('admin.noReferent')}</span>}{' '}
          {v.referent && (
            <button type="button" className="link-button" onClick={() => setV({ ...v, referent: null })}>
              {t('admin.remove')}
            </button>
          )}
        </p>
        <UserPicker
          label={t('admin.findReferent')}
          actions={(user) => (
            <RowAction
              subject={user.email}
              className="button"
              onClick={() => setV({ ...v, referent: { id: user.id, name: `${user.firstName} ${user.lastName}` } })}
            >
              {t('admin.choose')}
            </RowAction>
          )}
        />
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('programs.steps')}</legend>
        <ol className="step-editor">
          {v.steps.map((step, index) => (
            <li key={step.key} className="step-edit">
              <div className="field">
                <label htmlFor={`${id}-${step.key}-title`}>{t('admin.stepTitle', { n: index + 1 })}</label>
                <input
                  id={`${id}-${step.key}-title`}
                  value={step.title}
                  required
                  onChange={(e) => setStep(step.key, { title: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-${step.key}-content`}>{t('admin.stepContent', { n: index + 1 })}</label>
                <textarea
                  id={`${id}-${step.key}-content`}
                  rows={2}
                  value={step.content}
                  onChange={(e) => setStep(step.key, { content: e.target.value })}
                />
              </div>
              <div className="button-row">
                <button type="button" className="link-button" disabled={index === 0} onClick={() => move(index, -1)}>
                  {t('admin.moveUp')}
                </button>
                <button
                  type="button"
                  className="link-button"
                  disabled={index === v.steps.length - 1}
                  onClick={() => move(index, 1)}
                >
                  {t('admin.moveDown')}
                </button>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setV({ ...v, steps: v.steps.filter((s) => s.key !== step.key) })}
                >
                  {t('admin.remove')}
                </button>
              </div>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button"
          onClick={() => setV({ ...v, steps: [...v.steps, { key: newKey(), title: '', content: '' }] })}
        >
          {t('admin.addStep')}
        </button>
      </fieldset>
      {error != null && <ErrorNotice error={error} />}
      <button type="submit" className="button button-primary" disabled={isPending}>
        {submitLabel}
      </button>
    </form>
  );
}
