import { useT } from '@/lib/i18n';
import { ClientsSection } from './clients-section';
import { ScimSection } from './scim-section';
import { WebhooksSection } from './webhooks-section';

/** Admin > Integrations: API clients, SCIM tokens and webhooks (the workspace's settings have their own page). */
export function IntegrationsPage() {
  const t = useT();
  return (
    <div className="stack">
      <h1>{t('admin.integrations')}</h1>
      <ClientsSection />
      <ScimSection />
      <WebhooksSection />
    </div>
  );
}
