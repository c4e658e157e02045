import { useId, useState, type FormEvent } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorNotice } from '@/components/ui/query-state';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { formText } from '@/lib/form';
import { useI18n } from '@/lib/i18n';
import { clientScopes, useClients, useCreateClient, useRevokeClient, type ApiClient, type ClientScope, type CreatedApiClient } from '../api/clients';
import { RevokeControl } from './revoke-control';

/** OAuth clients (client credentials) for HR tools and scripts; the secret is shown once, at creation. */
export function ClientsSection() {
  const { t, formatDate } = useI18n();
  const id = useId();
  const clients = useClients();
  const create = useCreateClient();
  const revoke = useRevokeClient();
  const [created, setCreated] = useState<CreatedApiClient | null>(null);
  const [scopes, setScopes] = useState<Set<ClientScope>>(new Set(['users:read', 'groups:read']));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = formText(new FormData(form), 'name');
    create.mutate(
      { name, scopes: [...scopes] },
      {
        onSuccess: (client) => {
          setCreated(client);
          form.reset();
        },
      },
    );
  };
  const columns: Column<ApiClient>[] = [
    { id: 'name', header: t('integrations.name'), rowHeader: true, cell: (client) => client.name },
    { id: 'clientId', header: t('integrations.clientId'), cell: (client) => <span className="mono small">{client.clientId}</span> },
    { id: 'scopes', header: t('integrations.scopes'), cell: (client) => <span className="small">{client.scopes.join(', ')}</span> },
    {
      id: 'lastUsed',
      header: t('integrations.lastUsed'),
      cell: (client) => <span className="small">{client.lastUsedAt ? formatDate(client.lastUsedAt) : t('dashboard.never')}</span>,
    },
    {
      id: 'actions',
      header: t('admin.actions'),
      hideHeader: true,
      cell: (client) => (
        <RevokeControl
          name={client.name}
          revokedAt={client.revokedAt}
          pending={revoke.isPending}
          onRevoke={() => revoke.mutate(client.id)}
        />
      ),
    },
  ];
  const toggleScope = (scope: ClientScope) =>
    setScopes((current) => {
      const next = new Set(current);
      if (next.has(scope)) next.delete(scope);
      else next.add(scope);
      return next;
    });

  return (
    <section className="card stack-sm" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('integrations.clients')}</h2>
      <p className="muted small">{t('integrations.clientsHint')}</p>
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <DataTable
        caption={t('integrations.clients')}
        columns={columns}
        rows={clients.data?.items}
        rowKey={(client) => client.id}
        empty={t('integrations.noClients')}
        error={clients.error}
        onRetry={() => void clients.refetch()}
        loadingLines={2}
      />
      {created && (
        <SecretReveal
          label={t('integrations.clientSecretFor', { name: created.name, clientId: created.clientId })}
          value={created.clientSecret}
          onDismiss={() => setCreated(null)}
        />
      )}
      <form className="form" onSubmit={submit} aria-labelledby={`${id}-new`}>
        <h3 id={`${id}-new`}>{t('integrations.newClient')}</h3>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('integrations.name')}</label>
          <input id={`${id}-name`} name="name" required maxLength={100} autoComplete="off" />
        </div>
        <fieldset className="fieldset">
          <legend>{t('integrations.scopes')}</legend>
          <div className="checkbox-grid">
            {clientScopes.map((scope) => (
              <label key={scope} className="checkbox-row">
                <input type="checkbox" checked={scopes.has(scope)} onChange={() => toggleScope(scope)} />
                <span className="mono">{scope}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {create.isError && <ErrorNotice error={create.error} />}
        <button type="submit" className="button button-primary" disabled={create.isPending || scopes.size === 0}>
          {t('integrations.createClient')}
        </button>
      </form>
    </section>
  );
}
