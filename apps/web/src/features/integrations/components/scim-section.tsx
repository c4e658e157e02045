import { useId, useState, type FormEvent } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { formText } from '@/lib/form';
import { useI18n } from '@/lib/i18n';
import { useCreateScimToken, useRevokeScimToken, useScimTokens, type CreatedScimToken } from '../api/scim-tokens';
import { RevokeControl } from './revoke-control';

/** Bearer tokens for an identity provider's SCIM 2.0 provisioning; the token is shown once, at creation. */
export function ScimSection() {
  const { t, formatDate } = useI18n();
  const id = useId();
  const tokens = useScimTokens();
  const create = useCreateScimToken();
  const revoke = useRevokeScimToken();
  const [created, setCreated] = useState<CreatedScimToken | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = formText(new FormData(form), 'name');
    create.mutate(
      { name },
      {
        onSuccess: (token) => {
          setCreated(token);
          form.reset();
        },
      },
    );
  };

  return (
    <section className="card stack-sm" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('integrations.scim')}</h2>
      <p className="muted small">{t('integrations.scimHint', { url: `${window.location.origin}/scim/v2` })}</p>
      {tokens.isPending && <Skeleton lines={2} />}
      {tokens.isError && <ErrorNotice error={tokens.error} onRetry={() => void tokens.refetch()} />}
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      {tokens.data &&
        (tokens.data.items.length === 0 ? (
          <EmptyState title={t('integrations.noScimTokens')} />
        ) : (
          <ul className="item-list" aria-labelledby={`${id}-heading`}>
            {tokens.data.items.map((token) => (
              <li key={token.id} className="item">
                <span className="item-main">
                  <span className="item-title">{token.name}</span>
                  <span className="muted small">
                    <span className="mono">{token.prefix}…</span> · {t('integrations.created')} {formatDate(token.createdAt)} ·{' '}
                    {t('integrations.lastUsed')}: {token.lastUsedAt ? formatDate(token.lastUsedAt) : t('dashboard.never')}
                  </span>
                </span>
                <RevokeControl
                  name={token.name}
                  revokedAt={token.revokedAt}
                  pending={revoke.isPending}
                  onRevoke={() => revoke.mutate(token.id)}
                />
              </li>
            ))}
          </ul>
        ))}
      {created && (
        <SecretReveal
          label={t('integrations.scimTokenFor', { name: created.name })}
          value={created.token}
          onDismiss={() => setCreated(null)}
        />
      )}
      <form className="form" onSubmit={submit} aria-labelledby={`${id}-new`}>
        <h3 id={`${id}-new`}>{t('integrations.newScimToken')}</h3>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('integrations.tokenName')}</label>
          <input id={`${id}-name`} name="name" required maxLength={100} autoComplete="off" />
        </div>
        {create.isError && <ErrorNotice error={create.error} />}
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {t('integrations.createScimToken')}
        </button>
      </form>
    </section>
  );
}
