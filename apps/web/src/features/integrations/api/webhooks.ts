import type {
  CreatedWebhook,
  PageOf,
  UpdatedWebhook,
  WebhookReplay,
  createWebhookBodySchema,
  patchWebhookBodySchema,
  webhookDeliverySchema,
  webhookEventSchema,
  webhookSchema,
} from '@covey/schema';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
// The event list from the schema package's zod-free module: the bundle does not take zod with it.
export { webhookEvents } from '@covey/schema/events';

export type Webhook = z.infer<typeof webhookSchema>;
export type { CreatedWebhook };
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
export type CreateWebhookBody = z.input<typeof createWebhookBodySchema>;
export type PatchWebhookBody = z.input<typeof patchWebhookBodySchema>;

const webhookPath = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

export const getWebhooks = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<PageOf<typeof webhookSchema>>('/api/v1/webhooks', { signal });

export const getWebhooksQueryOptions = () => queryOptions({ queryKey: queryKeys.webhooks.all, queryFn: ({ signal }) => getWebhooks({ signal }) });

export const useWebhooks = () => useQuery(getWebhooksQueryOptions());

export const getDeliveries = ({ webhookId, signal }: { webhookId: string; signal?: AbortSignal }) =>
  api.get<PageOf<typeof webhookDeliverySchema>>(`${webhookPath(webhookId)}/deliveries?limit=20`, {
    signal,
  });

export const getDeliveriesQueryOptions = (webhookId: string) =>
  queryOptions({
    queryKey: queryKeys.webhooks.deliveries(webhookId),
    queryFn: ({ signal }) => getDeliveries({ webhookId, signal }),
  });

export const useDeliveries = (webhookId: string) => useQuery(getDeliveriesQueryOptions(webhookId));

export const createWebhook = (body: CreateWebhookBody) => api.post<CreatedWebhook>('/api/v1/webhooks', body);
export const patchWebhook = ({ id, body }: { id: string; body: PatchWebhookBody }) =>
  api.patch<UpdatedWebhook>(webhookPath(id), body);
export const deleteWebhook = (id: string) => api.delete<undefined>(webhookPath(id));
export const replayDelivery = ({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) =>
  api.post<WebhookReplay>(
    `${webhookPath(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/replay`,
  );

const useInvalidating = <TVars, TData>(mutationFn: (vars: TVars) => Promise<TData>) => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all }) });
};

export const useCreateWebhook = () => useInvalidating(createWebhook);
export const usePatchWebhook = () => useInvalidating(patchWebhook);
export const useDeleteWebhook = () => useInvalidating(deleteWebhook);
export const useReplayDelivery = () => useInvalidating(replayDelivery);
