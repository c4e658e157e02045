import type { assignmentResultSchema, UnassignmentPreview } from '@covey/schema';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';
import { programPath } from './get-programs';

export type AssignmentResult = z.infer<typeof assignmentResultSchema>;
export type { UnassignmentPreview };

const assignmentPath = (programId: string, groupId: string) =>
  `${programPath(programId)}/groups/${encodeURIComponent(groupId)}`;

/** With `dryRun` the API answers who would be enrolled and changes nothing. */
export const assignProgram = ({ programId, groupId, dryRun }: { programId: string; groupId: string; dryRun: boolean }) =>
  api.put<AssignmentResult>(`${assignmentPath(programId, groupId)}${toQuery({ dryRun })}`);

/** How many unstarted enrollments unassigning would withdraw; changes nothing. */
export const previewUnassignment = ({ programId, groupId }: { programId: string; groupId: string }) =>
  api.delete<UnassignmentPreview>(`${assignmentPath(programId, groupId)}${toQuery({ dryRun: true })}`);

export const unassignProgram = ({ programId, groupId }: { programId: string; groupId: string }) =>
  api.delete<undefined>(assignmentPath(programId, groupId));

// An assignment changes the programs reaching the group and its subgroups, and who is enrolled.
const invalidateAssignments = (queryClient: QueryClient) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.programs.all }),
    queryClient.invalidateQueries({ queryKey: queryKeys.groups.all }),
    queryClient.invalidateQueries({ queryKey: queryKeys.me.all }),
  ]);

export const useAssignProgram = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: assignProgram,
    onSuccess: (result) => (result.dryRun ? undefined : invalidateAssignments(queryClient)),
  });
};

export const useUnassignProgram = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: unassignProgram, onSuccess: () => invalidateAssignments(queryClient) });
};
