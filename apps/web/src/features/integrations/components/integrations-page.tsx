import { useT } from '@/lib/i18n';
import { ClientsSection } from './clients-section';
import { ScimSection } from './scim-section';
import { WebhooksSection } from './webhooks-section';
import { WorkspaceSettingsSection } from './workspace-settings';

/** Admin > Integrations: API clients, SCIM tokens, webhooks and the workspace's follow-up settings. */
export function IntegrationsPage() {
  const t = useT();
  return (
    <div className="stack">
      <h1>{t('admin.integrations')}</h1>
      <WorkspaceSettingsSection />
      <ClientsSection />
      <ScimSection />
      <WebhooksSection />
    </div>
  );
}
