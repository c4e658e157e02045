import { matchPath, Outlet, useLocation } from 'react-router-dom';
import { Skeleton } from '@/components/ui/query-state';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { AdminLayout } from '@/components/layout/admin-layout';
import { useGroupsIManage } from '@/features/groups/api/admin-scope';
import { paths } from '@/config/paths';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';

/** The screens group admins reach too, for the groups they manage: the group editor and the new group form. */
const groupAdminPaths = [paths.admin.newGroup.path, paths.admin.group.path];

// The API refuses what a person may not do anyway; the screen says "not found" rather than showing forms that would
// fail. Group admins reach only the group editor (scoped there to the groups they manage), without the workspace tabs.
export function Component() {
  const user = useUser();
  const workspaceAdmin = isWorkspaceAdmin(user);
  const { pathname } = useLocation();
  const groupAdminRoute = groupAdminPaths.some((path) => matchPath(path, pathname));
  const managed = useGroupsIManage();

  if (workspaceAdmin) return <AdminLayout />;
  if (!groupAdminRoute) return <NotFoundScreen />;
  if (managed.isPending) return <Skeleton lines={4} />;
  return managed.data?.length ? <Outlet /> : <NotFoundScreen />;
}
