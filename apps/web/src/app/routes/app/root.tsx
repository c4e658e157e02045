import { AppLayout } from '@/components/layout/app-layout';
import { NotificationsBell } from '@/features/notifications/components/notifications-bell';

export function AppRoot() {
  return <AppLayout actions={<NotificationsBell />} />;
}
