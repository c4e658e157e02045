import type { CreateGroupBody, Group, GroupRole, Member, patchGroupBodySchema } from '@covey/schema';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '@/lib/api-client';

export type GroupsPage = { items: Group[]; nextCursor: string | null };
export type PatchGroupBody = z.input<typeof patchGroupBodySchema>;

export const groupPath = (groupId: string) => `/api/v1/groups/${encodeURIComponent(groupId)}`;

export const adminGroupKeys = {
  all: ['groups'] as const,
  children: (parentId: string) => ['groups', 'children', parentId] as const,
  detail: (groupId: string) => ['groups', groupId] as const,
  members: (groupId: string) => ['groups', groupId, 'members'] as const,
  programs: (groupId: string) => ['groups', groupId, 'programs'] as const,
};

/** `parentId: 'root'` lists the top-level groups. */
export const getGroups = ({ parentId, signal }: { parentId: string; signal?: AbortSignal }) =>
  api.get<GroupsPage>(`/api/v1/groups${toQuery({ parentId, limit: 100 })}`, { signal });

export const getGroupsQueryOptions = (parentId: string) =>
  queryOptions({ queryKey: adminGroupKeys.children(parentId), queryFn: ({ signal }) => getGroups({ parentId, signal }) });

export const useGroups = (parentId: string, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...getGroupsQueryOptions(parentId), enabled });

/** Every group the caller may see in one flat list (each with its `parentId`), for parent pickers. */
export const getAllGroups = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<GroupsPage>(`/api/v1/groups${toQuery({ limit: 100 })}`, { signal });

export const getAllGroupsQueryOptions = () =>
  queryOptions({ queryKey: ['groups', 'all'], queryFn: ({ signal }) => getAllGroups({ signal }) });

export const getAdminGroup = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<Group>(groupPath(groupId), { signal });

export const getAdminGroupQueryOptions = (groupId: string) =>
  queryOptions({ queryKey: adminGroupKeys.detail(groupId), queryFn: ({ signal }) => getAdminGroup({ groupId, signal }) });

export const useAdminGroup = (groupId: string) => useQuery(getAdminGroupQueryOptions(groupId));

export const createGroup = (body: CreateGroupBody) => api.post<Group>('/api/v1/groups', body);

export const useCreateGroup = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createGroup,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminGroupKeys.all }),
  });
};

export const updateGroup = ({ groupId, body }: { groupId: string; body: PatchGroupBody }) =>
  api.patch<Group>(groupPath(groupId), body);

export const useUpdateGroup = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchGroupBody) => updateGroup({ groupId, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminGroupKeys.all }),
  });
};

export type GroupImageKind = 'logo' | 'background';

export const uploadGroupImage = ({ groupId, kind, file }: { groupId: string; kind: GroupImageKind; file: File }) => {
  const form = new FormData();
  form.set('file', file);
  return api.put<Group>(`${groupPath(groupId)}/${kind}`, form);
};

export const useUploadGroupImage = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: GroupImageKind; file: File }) => uploadGroupImage({ groupId, kind, file }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminGroupKeys.all }),
  });
};

export const clearGroupImage = ({ groupId, kind }: { groupId: string; kind: GroupImageKind }) =>
  api.delete<undefined>(`${groupPath(groupId)}/${kind}`);

export const useClearGroupImage = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (kind: GroupImageKind) => clearGroupImage({ groupId, kind }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminGroupKeys.all }),
  });
};

export type MembersPage = { items: Member[]; nextCursor: string | null };

export const getMembers = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<MembersPage>(`${groupPath(groupId)}/members?limit=100`, { signal });

export const getMembersQueryOptions = (groupId: string) =>
  queryOptions({ queryKey: adminGroupKeys.members(groupId), queryFn: ({ signal }) => getMembers({ groupId, signal }) });

export const useMembers = (groupId: string) => useQuery(getMembersQueryOptions(groupId));

export const setMemberRoles = ({ groupId, userId, roles }: { groupId: string; userId: string; roles: GroupRole[] }) =>
  api.put<Member | undefined>(`${groupPath(groupId)}/members/${encodeURIComponent(userId)}`, { roles });

export const useSetMemberRoles = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, roles }: { userId: string; roles: GroupRole[] }) => setMemberRoles({ groupId, userId, roles }),
    // Member counts show in the tree and "my groups"; both read from the groups/me caches.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminGroupKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['me'] }),
      ]),
  });
};
