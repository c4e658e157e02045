export type TreeNode = { id: string; name: string; parentId: string | null };

/** A group placed in the tree of the groups someone follows: its ancestors there, root first. */
export type DashboardGroup = TreeNode & { ancestors: { id: string; name: string }[] };

/**
 * Orders groups depth-first, siblings by name, each with its ancestors inside the list. A group whose parent is not
 * in the list (not followed, or not visible) starts a tree of its own.
 */
export function toTree(groups: readonly TreeNode[], locale?: string): DashboardGroup[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const children = new Map<string | null, TreeNode[]>();
  for (const group of byId.values()) {
    const parent = group.parentId !== null && byId.has(group.parentId) ? group.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), group]);
  }
  const ordered: DashboardGroup[] = [];
  const seen = new Set<string>();
  const visit = (group: TreeNode, ancestors: DashboardGroup['ancestors']) => {
    if (seen.has(group.id)) return;
    seen.add(group.id);
    ordered.push({ id: group.id, name: group.name, parentId: group.parentId, ancestors });
    const below = [...ancestors, { id: group.id, name: group.name }];
    for (const child of sorted(children.get(group.id), locale)) visit(child, below);
  };
  for (const root of sorted(children.get(null), locale)) visit(root, []);
  return ordered;
}

const sorted = (groups: TreeNode[] | undefined, locale?: string) =>
  [...(groups ?? [])].sort((a, b) => a.name.localeCompare(b.name, locale) || a.id.localeCompare(b.id));

/** The groups under `groupId` (children, grandchildren...), in tree order. */
export const descendantsOf = (tree: readonly DashboardGroup[], groupId: string) =>
  tree.filter((g) => g.ancestors.some((a) => a.id === groupId));

/** A group's place in the tree as text, e.g. "France › Paris", optionally from below one of its ancestors. */
export function pathLabel(group: DashboardGroup, below?: string): string {
  const start = below ? group.ancestors.findIndex((a) => a.id === below) + 1 : 0;
  return [...group.ancestors.slice(start), group].map((g) => g.name).join(' › ');
}
