import type { Group, GroupBranding } from '@covey/schema';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { GroupSelect } from '@/components/group-select';
import { useT } from '@/lib/i18n';
import type { ParentChoice } from '../api/admin-scope';
import { getGroupQueryOptions } from '../api/get-group';

export type GroupFormValues = {
  name: string;
  description: string;
  parentId: string;
  welcomeMessage: string;
  /** null: not set on this group, so inherited from the nearest ancestor that sets it. */
  primary: string | null;
  accent: string | null;
};

type ColorKey = 'primary' | 'accent';
/** What a group shows with no colour of its own and no ancestor setting one (the app's own). */
const defaultColors: Record<ColorKey, string> = { primary: '#1d4ed8', accent: '#f59e0b' };

export const groupFormValues = (group?: Group, parentId?: string | null): GroupFormValues => ({
  name: group?.name ?? '',
  description: group?.description ?? '',
  parentId: group?.parentId ?? parentId ?? '',
  welcomeMessage: group?.welcomeMessage ?? '',
  primary: group?.colors.primary ?? null,
  accent: group?.colors.accent ?? null,
});

/** The colours a new group sets itself: those left unset are not sent, so they stay inherited. */
export const newGroupColors = (v: GroupFormValues) => ({
  ...(v.primary ? { primary: v.primary } : {}),
  ...(v.accent ? { accent: v.accent } : {}),
});
/** A change of colours: null resets one to inherited. */
export const patchColors = (v: GroupFormValues) => ({ primary: v.primary, accent: v.accent });

type Props = {
  initial: GroupFormValues;
  parents: ParentChoice;
  submitLabel: string;
  isPending: boolean;
  error: unknown;
  onSubmit: (values: GroupFormValues) => void;
  /**
   * What the group inherits under its initial parent, when known (an existing group's `inheritedBranding`: its parent
   * may be one the person does not see). Under another parent, the form reads that parent's branding.
   */
  inheritedAtStart?: GroupBranding | null;
  /** Images chosen in the branding panel, shown in the preview before (and after) they upload. */
  logoUrl?: string | null;
  backgroundUrl?: string | null;
};

export function GroupForm({
  initial,
  parents,
  submitLabel,
  isPending,
  error,
  onSubmit,
  inheritedAtStart,
  logoUrl,
  backgroundUrl,
}: Props) {
  const t = useT();
  const id = useId();
  const [values, setValues] = useState(initial);
  // What the group would show with nothing set on itself: its parent's branding as shown (none at the top level).
  const knownAtStart = values.parentId === initial.parentId && inheritedAtStart !== undefined;
  const parent = useQuery({
    ...getGroupQueryOptions(values.parentId),
    enabled: values.parentId !== '' && !knownAtStart,
  });
  const inherited = values.parentId === '' ? null : knownAtStart ? inheritedAtStart : (parent.data?.branding ?? null);
  const shown = (key: ColorKey) => values[key] ?? inherited?.[key]?.value ?? defaultColors[key];
  const colorField = (key: ColorKey, label: string) => {
    const from = inherited?.[key]?.from;
    return (
      <div className="field">
        <label htmlFor={`${id}-${key}`}>{label}</label>
        <input
          id={`${id}-${key}`}
          type="color"
          value={shown(key)}
          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          aria-describedby={`${id}-${key}-source`}
        />
        <span id={`${id}-${key}-source`} className="muted small">
          {values[key] !== null
            ? t('groups.branding.setHere')
            : from
              ? t('groups.branding.inheritedFrom', { name: from.name })
              : t('groups.branding.appDefault')}
        </span>
        {values[key] !== null && (
          <button type="button" className="link-button" onClick={() => setValues((v) => ({ ...v, [key]: null }))}>
            {t('groups.branding.reset')}
            <span className="visually-hidden"> ({label})</span>
          </button>
        )}
      </div>
    );
  };
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
          <GroupSelect
            label={t('admin.parent')}
            emptyLabel={parents.allowTopLevel ? t('admin.noParent') : t('admin.chooseParent')}
            required={!parents.allowTopLevel}
            value={values.parentId}
            onChange={(parentId) => setValues((v) => ({ ...v, parentId }))}
            manageable
            outside={parents.outside}
          />
        )}
        <div className="field">
          <label htmlFor={`${id}-welcome`}>{t('admin.welcomeMessage')}</label>
          <textarea id={`${id}-welcome`} value={values.welcomeMessage} onChange={set('welcomeMessage')} rows={3} />
        </div>
        <div className="field-row">
          {colorField('primary', t('admin.primaryColor'))}
          {colorField('accent', t('admin.accentColor'))}
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
          style={{ ['--group-primary' as string]: shown('primary'), ['--group-accent' as string]: shown('accent') }}
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
