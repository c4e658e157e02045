import { RowAction } from '@/components/ui/row-action';
import { useI18n } from '@/lib/i18n';

/** "Revoked", or the button that revokes a credential after the browser's confirmation (API clients, SCIM tokens). */
export function RevokeControl({
  name,
  revokedAt,
  pending,
  onRevoke,
}: {
  name: string;
  revokedAt: string | null;
  pending: boolean;
  onRevoke: () => void;
}) {
  const { t } = useI18n();
  if (revokedAt) return <span className="muted small">{t('integrations.revoked')}</span>;
  return (
    <RowAction
      subject={name}
      disabled={pending}
      onClick={() => {
        if (window.confirm(t('integrations.confirmRevoke', { name }))) onRevoke();
      }}
    >
      {t('integrations.revoke')}
    </RowAction>
  );
}
