import type {
  assignmentResultSchema,
  CreateProgramBody,
  patchProgramBodySchema,
  Program,
  UnassignmentPreview,
} from '@covey/schema';
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '@/lib/api-client';

export type ProgramsPage = { items: Program[]; nextCursor: string | null };
export type PatchProgramBody = z.input<typeof patchProgramBodySchema>;
export type AssignmentResult = z.infer<typeof assignmentResultSchema>;

const programPath = (programId: string) => `/api/v1/programs/${encodeURIComponent(programId)}`;

type ProgramStatus = Program['status'];

/** Without `status`, every program (workspace admins); group admins may only list the published ones. */
export const getPrograms = ({ status, signal }: { status?: ProgramStatus; signal?: AbortSignal } = {}) =>
  api.get<ProgramsPage>(`/api/v1/programs${toQuery({ status, limit: 100 })}`, { signal });

export const getProgramsQueryOptions = (status?: ProgramStatus) =>
  queryOptions({
    queryKey: status ? ['programs', 'list', status] : ['programs', 'list'],
    queryFn: ({ signal }) => getPrograms({ status, signal }),
  });

export const usePrograms = (status?: ProgramStatus) => useQuery(getProgramsQueryOptions(status));

export const getAdminProgram = ({ programId, signal }: { programId: string; signal?: AbortSignal }) =>
  api.get<Program>(programPath(programId), { signal });

export const getAdminProgramQueryOptions = (programId: string) =>
  queryOptions({ queryKey: ['programs', programId], queryFn: ({ signal }) => getAdminProgram({ programId, signal }) });

export const useAdminProgram = (programId: string) => useQuery(getAdminProgramQueryOptions(programId));

export const createProgram = (body: CreateProgramBody) => api.post<Program>('/api/v1/programs', body);

export const useCreateProgram = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createProgram, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['programs'] }) });
};

export const updateProgram = ({ programId, body }: { programId: string; body: PatchProgramBody }) =>
  api.patch<Program>(programPath(programId), body);

export const useUpdateProgram = (programId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchProgramBody) => updateProgram({ programId, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['programs'] }),
  });
};

/** With `dryRun` the API answers who would be enrolled and changes nothing. */
export const assignProgram = ({ programId, groupId, dryRun }: { programId: string; groupId: string; dryRun: boolean }) =>
  api.put<AssignmentResult>(`${programPath(programId)}/groups/${encodeURIComponent(groupId)}${toQuery({ dryRun })}`);

// An assignment changes the programs reaching the group and its subgroups, and who is enrolled.
const invalidateAssignments = (queryClient: QueryClient) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: ['programs'] }),
    queryClient.invalidateQueries({ queryKey: ['groups'] }),
    queryClient.invalidateQueries({ queryKey: ['me'] }),
  ]);

export const useAssignProgram = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: assignProgram,
    onSuccess: (result) => (result.dryRun ? undefined : invalidateAssignments(queryClient)),
  });
};

export type { UnassignmentPreview };

const assignmentPath = (programId: string, groupId: string) =>
  `${programPath(programId)}/groups/${encodeURIComponent(groupId)}`;

/** How many unstarted enrollments unassigning would withdraw; changes nothing. */
export const previewUnassignment = ({ programId, groupId }: { programId: string; groupId: string }) =>
  api.delete<UnassignmentPreview>(`${assignmentPath(programId, groupId)}${toQuery({ dryRun: true })}`);

export const unassignProgram = ({ programId, groupId }: { programId: string; groupId: string }) =>
  api.delete<undefined>(assignmentPath(programId, groupId));

export const useUnassignProgram = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: unassignProgram, onSuccess: () => invalidateAssignments(queryClient) });
};
