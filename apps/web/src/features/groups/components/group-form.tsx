import type { Group } from '@covey/schema';
import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';

export type GroupFormValues = {
  name: string;
  description: string;
  parentId: string;
  welcomeMessage: string;
  primary: string;
  accent: string;
};

export const groupFormValues = (group?: Group, parentId?: string | null): GroupFormValues => ({
  name: group?.name ?? '',
  description: group?.description ?? '',
  parentId: group?.parentId ?? parentId ?? '',
  welcomeMessage: group?.welcomeMessage ?? '',
  primary: group?.colors.primary ?? '#1d4ed8',
  accent: group?.colors.accent ?? '#f59e0b',
});

/** Where the group may be placed: `null` hides the choice (a group admin cannot move the group they were given). */
export type ParentChoice = { options: Group[]; allowTopLevel: boolean } | null;

type Props = {
  initial: GroupFormValues;
  parents: ParentChoice;
  submitLabel: string;
  isPending: boolean;
  error: unknown;
  onSubmit: (values: GroupFormValues) => void;
  /** Images chosen in the branding panel, shown in the preview before (and after) they upload. */
  logoUrl?: string | null;
  backgroundUrl?: string | null;
};

export function GroupForm({ initial, parents, submitLabel, isPending, error, onSubmit, logoUrl, backgroundUrl }: Props) {
  const t = useT();
  const id = useId();
  const [values, setValues] = useState(initial);
  const set = (key: keyof GroupFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(values);
  };

  return (
    <div className="editor-grid">
      <form className="form card" onSubmit={submit} aria-label={submitLabel}>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('admin.groupName')}</label>
          <input id={`${id}-name`} value={values.name} onChange={set('name')} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t('admin.description')}</label>
          <textarea id={`${id}-description`} value={values.description} onChange={set('description')} rows={2} />
        </div>
        {parents && (
          <div className="field">
            <label htmlFor={`${id}-parent`}>{t('admin.parent')}</label>
            <select id={`${id}-parent`} value={values.parentId} onChange={set('parentId')} required={!parents.allowTopLevel}>
              <option value="">{parents.allowTopLevel ? t('admin.noParent') : t('admin.chooseParent')}</option>
              {parents.options.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-welcome`}>{t('admin.welcomeMessage')}</label>
          <textarea id={`${id}-welcome`} value={values.welcomeMessage} onChange={set('welcomeMessage')} rows={3} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-primary`}>{t('admin.primaryColor')}</label>
            <input id={`${id}-primary`} type="color" value={values.primary} onChange={set('primary')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-accent`}>{t('admin.accentColor')}</label>
            <input id={`${id}-accent`} type="color" value={values.accent} onChange={set('accent')} />
          </div>
        </div>
        {error != null && <ErrorNotice error={error} />}
        <button type="submit" className="button button-primary" disabled={isPending}>
          {submitLabel}
        </button>
      </form>
      <section aria-labelledby={`${id}-preview`} className="preview">
        <h2 id={`${id}-preview`}>{t('admin.preview')}</h2>
        <div
          className="group-space preview-frame"
          style={{ ['--group-primary' as string]: values.primary, ['--group-accent' as string]: values.accent }}
        >
          <div
            className={`group-banner${backgroundUrl ? ' has-background' : ''}`}
            style={backgroundUrl ? { backgroundImage: `url("${backgroundUrl}")` } : undefined}
          >
            <div className="group-banner-inner">
              {logoUrl && <img src={logoUrl} alt="" className="group-logo" />}
              <div>
                <p className="preview-title">{values.name || t('admin.groupName')}</p>
                {values.description && <p className="group-description">{values.description}</p>}
              </div>
            </div>
          </div>
          {values.welcomeMessage && <p className="welcome card">{values.welcomeMessage}</p>}
        </div>
      </section>
    </div>
  );
}
