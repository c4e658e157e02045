import { AppLayout } from '@/components/layout/app-layout';
import { ManagedGroupsNav } from '@/features/groups/components/managed-groups-nav';
import { DashboardNavLink } from '@/features/dashboard/components/dashboard-nav-link';
import { NotificationsBell } from '@/features/notifications/components/notifications-bell';

export function AppRoot() {
  return (
    <AppLayout
      actions={<NotificationsBell />}
      navExtra={
        <>
          <DashboardNavLink />
          <ManagedGroupsNav />
        </>
      }
    />
  );
}
