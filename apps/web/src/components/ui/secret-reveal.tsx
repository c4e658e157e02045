import { useId } from 'react';
import { useT } from '@/lib/i18n';
import { useCopy } from './copy-value';

/** A secret the API shows only once (client secret, SCIM token, webhook signing secret), with a copy button. */
export function SecretReveal({ label, value, onDismiss }: { label: string; value: string; onDismiss: () => void }) {
  const t = useT();
  const id = useId();
  const clipboard = useCopy();
  const copied = clipboard.copied;
  const copy = async () => {
    // Clipboard access can be refused; the field stays selectable for a manual copy.
    if (!(await clipboard.copy(value))) document.getElementById(id)?.focus();
  };
  return (
    <div className="secret-reveal" role="region" aria-label={label}>
      <p className="small">
        <strong>{t('secret.once')}</strong>
      </p>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <div className="secret-row">
          <input id={id} readOnly value={value} className="mono" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="button" onClick={() => void copy()}>
            {t('secret.copy')}
          </button>
        </div>
      </div>
      <p className="small" role="status">
        {copied ? t('secret.copied') : ''}
      </p>
      <button type="button" className="link-button" onClick={onDismiss}>
        {t('secret.done')}
      </button>
    </div>
  );
}
