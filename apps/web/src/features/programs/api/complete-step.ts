import type { stepCompletionResultSchema } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { getMyProgramsQueryOptions } from './get-my-programs';

export type StepCompletion = z.infer<typeof stepCompletionResultSchema>;

export const completeStep = ({ programId, stepId }: { programId: string; stepId: string }) =>
  api.post<StepCompletion>(
    `/api/v1/programs/${encodeURIComponent(programId)}/steps/${encodeURIComponent(stepId)}/complete`,
  );

export const useCompleteStep = (programId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (stepId: string) => completeStep({ programId, stepId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: getMyProgramsQueryOptions().queryKey }),
  });
};
