import { useId, useState, type FormEvent } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { DataTable, type Column } from '@/components/ui/data-table';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { formText } from '@/lib/form';
import { useI18n } from '@/lib/i18n';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  usePatchWebhook,
  useReplayDelivery,
  useWebhooks,
  type CreateWebhookBody,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
  webhookEvents,
} from '../api/webhooks';

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t, formatDate } = useI18n();
  const deliveries = useDeliveries(webhook.id);
  const replay = useReplayDelivery();
  const columns: Column<WebhookDelivery>[] = [
    { id: 'event', header: t('integrations.event'), rowHeader: true, cell: (d) => <span className="mono small">{d.eventType}</span> },
    {
      id: 'status',
      header: t('integrations.status'),
      cell: (d) => (
        <>
          <span className={`badge badge-${d.status}`}>{t(`integrations.delivery.${d.status}`)}</span>
          {d.attempts > 1 && <span className="muted small block">{t('integrations.attempts', { count: d.attempts })}</span>}
        </>
      ),
    },
    {
      id: 'response',
      header: t('integrations.response'),
      cell: (d) => (
        <span className="small">
          {d.responseStatus ?? '—'}
          {d.lastError && <span className="muted block">{d.lastError}</span>}
        </span>
      ),
    },
    { id: 'latency', header: t('integrations.latency'), cell: (d) => <span className="small">{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</span> },
    { id: 'when', header: t('integrations.when'), cell: (d) => <span className="small">{formatDate(d.deliveredAt ?? d.createdAt)}</span> },
    {
      id: 'actions',
      header: t('admin.actions'),
      hideHeader: true,
      cell: (d) => (
        <button
          type="button"
          className="link-button"
          disabled={replay.isPending}
          onClick={() => replay.mutate({ webhookId: webhook.id, deliveryId: d.id })}
        >
          {t('integrations.replay')}
          <span className="visually-hidden">
            {' '}
            {d.eventType} {formatDate(d.createdAt)}
          </span>
        </button>
      ),
    },
  ];
  return (
    <div className="stack-sm">
      {replay.isError && <ErrorNotice error={replay.error} />}
      {replay.isSuccess && (
        <p role="status" className="notice-success">
          {t('integrations.replayQueued')}
        </p>
      )}
      <DataTable
        caption={t('integrations.deliveriesFor', { url: webhook.url })}
        columns={columns}
        rows={deliveries.data?.items}
        rowKey={(d) => d.id}
        empty={t('integrations.noDeliveries')}
        error={deliveries.error}
        onRetry={() => void deliveries.refetch()}
        loadingLines={2}
      />
      <button type="button" className="link-button" onClick={() => void deliveries.refetch()}>
        {t('integrations.refresh')}
      </button>
    </div>
  );
}

function WebhookItem({ webhook }: { webhook: Webhook }) {
  const { t, formatDate } = useI18n();
  const patch = usePatchWebhook();
  const remove = useDeleteWebhook();
  const [showLog, setShowLog] = useState(false);
  return (
    <li className="item webhook-item">
      <div className="item-main">
        <span className="item-title mono">{webhook.url}</span>
        {webhook.description && <span className="muted small">{webhook.description}</span>}
        <span className="muted small">{webhook.events.join(', ')}</span>
        <span className="small">
          {webhook.active ? (
            <span className="badge badge-succeeded">{t('integrations.enabled')}</span>
          ) : (
            <span className="badge badge-failed">{t('integrations.disabled')}</span>
          )}{' '}
          {webhook.failingSince && (
            <span className="muted">{t('integrations.failingSince', { date: formatDate(webhook.failingSince) })}</span>
          )}
        </span>
        {(patch.isError || remove.isError) && <ErrorNotice error={patch.error ?? remove.error} />}
        <div className="button-row">
          <RowAction
            subject={webhook.url}
            className="button"
            disabled={patch.isPending}
            onClick={() => patch.mutate({ id: webhook.id, body: { active: !webhook.active } })}
          >
            {webhook.active ? t('integrations.disable') : t('integrations.enable')}
          </RowAction>
          <RowAction subject={webhook.url} className="button" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)}>
            {t('integrations.deliveries')}
          </RowAction>
          <RowAction
            subject={webhook.url}
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(t('integrations.confirmDelete', { url: webhook.url }))) remove.mutate(webhook.id);
            }}
          >
            {t('integrations.delete')}
          </RowAction>
        </div>
        {showLog && <DeliveryLog webhook={webhook} />}
      </div>
    </li>
  );
}

/** Outgoing webhooks: subscribe a URL to events, see each delivery and replay a failed one. */
export function WebhooksSection() {
  const t = useI18n().t;
  const id = useId();
  const webhooks = useWebhooks();
  const create = useCreateWebhook();
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [events, setEvents] = useState<Set<WebhookEvent | '*'>>(new Set(['group.member.added']));

  const toggle = (event: WebhookEvent | '*') =>
    setEvents((current) => {
      const next = new Set(current);
      if (next.has(event)) next.delete(event);
      else next.add(event);
      return next;
    });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const description = formText(data, 'description');
    const body: CreateWebhookBody = {
      url: formText(data, 'url'),
      events: events.has('*') ? ['*'] : [...events],
      ...(description ? { description } : {}),
    };
    create.mutate(body, {
      onSuccess: (created) => {
        setSecret({ url: created.url, secret: created.secret });
        form.reset();
      },
    });
  };

  return (
    <section className="card stack-sm" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('integrations.webhooks')}</h2>
      <p className="muted small">{t('integrations.webhooksHint')}</p>
      {webhooks.isPending && <Skeleton lines={2} />}
      {webhooks.isError && <ErrorNotice error={webhooks.error} onRetry={() => void webhooks.refetch()} />}
      {webhooks.data &&
        (webhooks.data.items.length === 0 ? (
          <EmptyState title={t('integrations.noWebhooks')} />
        ) : (
          <ul className="item-list" aria-labelledby={`${id}-heading`}>
            {webhooks.data.items.map((webhook) => (
              <WebhookItem key={webhook.id} webhook={webhook} />
            ))}
          </ul>
        ))}
      {secret && (
        <SecretReveal
          label={t('integrations.webhookSecretFor', { url: secret.url })}
          value={secret.secret}
          onDismiss={() => setSecret(null)}
        />
      )}
      <form className="form" onSubmit={submit} aria-labelledby={`${id}-new`}>
        <h3 id={`${id}-new`}>{t('integrations.newWebhook')}</h3>
        <div className="field">
          <label htmlFor={`${id}-url`}>{t('integrations.url')}</label>
          <input id={`${id}-url`} name="url" type="url" required maxLength={2000} placeholder="https://" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t('integrations.description')}</label>
          <input id={`${id}-description`} name="description" maxLength={500} />
        </div>
        <fieldset className="fieldset">
          <legend>{t('integrations.events')}</legend>
          <label className="checkbox-row">
            <input type="checkbox" checked={events.has('*')} onChange={() => toggle('*')} />
            {t('integrations.allEvents')}
          </label>
          <div className="checkbox-grid">
            {webhookEvents.map((event) => (
              <label key={event} className="checkbox-row">
                <input
                  type="checkbox"
                  checked={events.has('*') || events.has(event)}
                  disabled={events.has('*')}
                  onChange={() => toggle(event)}
                />
                <span className="mono">{event}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {create.isError && <ErrorNotice error={create.error} />}
        <button type="submit" className="button button-primary" disabled={create.isPending || events.size === 0}>
          {t('integrations.createWebhook')}
        </button>
      </form>
    </section>
  );
}
