import type { createReminderBodySchema, reminderSchema } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type ReminderBody = z.input<typeof createReminderBodySchema>;
export type Reminder = z.infer<typeof reminderSchema>;

export const sendReminder = ({ groupId, body }: { groupId: string; body: ReminderBody }) =>
  api.post<Reminder>(`/api/v1/groups/${encodeURIComponent(groupId)}/reminders`, body);

export const useSendReminder = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: sendReminder,
    onSuccess: (_data, { groupId }) => queryClient.invalidateQueries({ queryKey: queryKeys.stats.group(groupId) }),
  });
};
