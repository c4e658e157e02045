import { useState } from 'react';
import { useT } from '@/lib/i18n';

/** Copies text to the clipboard; `copied` says so until the next copy. Refused access answers false. */
export function useCopy() {
  const [copied, setCopied] = useState(false);
  const copy = async (value: string) => {
    setCopied(false);
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      return true;
    } catch {
      return false;
    }
  };
  return { copied, copy };
}

/** An identifier shown as code with a copy button; the copy is announced to screen readers. */
export function CopyValue({ label, value }: { label: string; value: string }) {
  const t = useT();
  const { copied, copy } = useCopy();
  return (
    <div className="copy-value">
      <span className="copy-label">{label}</span> <code className="mono">{value}</code>{' '}
      <button type="button" className="link-button" onClick={() => void copy(value)}>
        {t('copy.button')}
        <span className="visually-hidden"> {label}</span>
      </button>
      <span role="status" className="muted small">
        {copied ? t('copy.done', { label }) : ''}
      </span>
    </div>
  );
}
