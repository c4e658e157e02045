import { useId } from 'react';
import { CopyValue } from '@/components/ui/copy-value';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useSignInMethods } from '@/lib/api/sign-in-methods';
import { useT } from '@/lib/i18n';
import { useWorkspace } from '../api/workspace';
import { WorkspaceSettingsSection } from './workspace-settings';

/** Where Covey is reached and how people sign in: set in the environment, shown here as they are. */
function DeploymentSection() {
  const t = useT();
  const id = useId();
  const workspace = useWorkspace();
  const methods = useSignInMethods();
  const yesNo = (on: boolean) => (on ? t('settings.on') : t('settings.off'));
  return (
    <section className="card stack-sm" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('settings.deployment')}</h2>
      <p className="muted small">{t('settings.deploymentHint')}</p>
      {workspace.data && <CopyValue label={t('settings.publicUrl')} value={workspace.data.publicUrl} />}
      <h3>{t('settings.signIn')}</h3>
      {methods.isPending && <Skeleton lines={3} />}
      {methods.isError && <ErrorNotice error={methods.error} onRetry={() => void methods.refetch()} />}
      {methods.data && (
        <dl className="settings-list">
          <div>
            <dt>{t('settings.password')}</dt>
            <dd>{methods.data.password ? t('settings.passwordOn') : t('settings.passwordOff')}</dd>
          </div>
          <div>
            <dt>{t('settings.oidc')}</dt>
            <dd>{methods.data.oidc ? t('settings.ssoOn', { name: methods.data.oidc.name }) : yesNo(false)}</dd>
          </div>
          <div>
            <dt>{t('settings.saml')}</dt>
            <dd>{methods.data.saml ? t('settings.ssoOn', { name: methods.data.saml.name }) : yesNo(false)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

/** Admin > Settings: the workspace's follow-up settings, and what the deployment configures. */
export function SettingsPage() {
  const t = useT();
  return (
    <div className="stack">
      <h1>{t('settings.title')}</h1>
      <WorkspaceSettingsSection />
      <DeploymentSection />
    </div>
  );
}
