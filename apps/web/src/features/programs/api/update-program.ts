import type { patchProgramBodySchema, Program } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';
import { programPath } from './get-programs';

export type PatchProgramBody = z.input<typeof patchProgramBodySchema>;

export const updateProgram = ({ programId, body }: { programId: string; body: PatchProgramBody }) =>
  api.patch<Program>(programPath(programId), body);

export const useUpdateProgram = (programId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchProgramBody) => updateProgram({ programId, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.programs.all }),
  });
};
