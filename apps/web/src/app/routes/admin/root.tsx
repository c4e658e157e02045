import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { AdminLayout } from '@/features/admin/components/admin-layout';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';

// The API refuses non-admins anyway; the screen says "not found" rather than showing forms that would fail.
export function Component() {
  const user = useUser();
  return isWorkspaceAdmin(user) ? <AdminLayout /> : <NotFoundScreen />;
}
