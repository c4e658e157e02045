import type { CreateRuleBody, GroupRule, GroupRuleDiff, groupRulesPageSchema, PatchRuleBody, RuleExpression, ruleUpdateSchema } from '@covey/schema';
import type { z } from 'zod';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';

export type { GroupRule, GroupRuleDiff, RuleExpression };

const rulesPath = (groupId: string) => `${groupPath(groupId)}/rules`;
const rulePath = (groupId: string, ruleId: string) => `${rulesPath(groupId)}/${encodeURIComponent(ruleId)}`;

export const getGroupRules = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<z.infer<typeof groupRulesPageSchema>>(rulesPath(groupId), { signal });

export const getGroupRulesQueryOptions = (groupId: string) =>
  queryOptions({ queryKey: queryKeys.groups.rules(groupId), queryFn: ({ signal }) => getGroupRules({ groupId, signal }) });

export const useGroupRules = (groupId: string) => useQuery({ ...getGroupRulesQueryOptions(groupId), enabled: groupId !== '' });

/** Who would join and who would leave with this expression (replacing `ruleId`, when editing); changes nothing. */
export const previewRule = ({ groupId, expression, ruleId }: { groupId: string; expression: RuleExpression; ruleId?: string | undefined }) =>
  api.post<GroupRuleDiff>(`${rulesPath(groupId)}/preview`, { expression, ...(ruleId ? { ruleId } : {}) });

export const createRule = ({ groupId, body }: { groupId: string; body: CreateRuleBody }) =>
  api.post<GroupRule>(rulesPath(groupId), body);
export const updateRule = ({ groupId, ruleId, body }: { groupId: string; ruleId: string; body: PatchRuleBody }) =>
  api.patch<z.infer<typeof ruleUpdateSchema>>(rulePath(groupId, ruleId), body);
export const deleteRule = ({ groupId, ruleId }: { groupId: string; ruleId: string }) =>
  api.delete<undefined>(rulePath(groupId, ruleId));

/** A change of rules changes memberships: the group's members, the people lists and enrollments are stale. */
const useRulesMutation = <V, R>(mutationFn: (vars: V) => Promise<R>) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.groups.all }),
        queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
      ]),
  });
};

export const useCreateRule = () => useRulesMutation(createRule);
export const useUpdateRule = () => useRulesMutation(updateRule);
export const useDeleteRule = () => useRulesMutation(deleteRule);
