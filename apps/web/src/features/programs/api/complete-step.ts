import type { stepCompletionResultSchema } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type StepCompletion = z.infer<typeof stepCompletionResultSchema>;

export const completeStep = ({ programId, stepId }: { programId: string; stepId: string }) =>
  api.post<StepCompletion>(
    `/api/v1/programs/${encodeURIComponent(programId)}/steps/${encodeURIComponent(stepId)}/complete`,
  );

export const useCompleteStep = (programId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (stepId: string) => completeStep({ programId, stepId }),
    // A step done moves my progress and my stats; a program done brings a certificate to my documents.
    onSuccess: () =>
      Promise.all(
        [queryKeys.me.programs(), queryKeys.me.stats(), queryKeys.me.documents()].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
  });
};
