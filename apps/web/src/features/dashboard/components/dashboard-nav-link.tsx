import { NavLink } from 'react-router-dom';
import { paths } from '@/config/paths';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { useFollowsAnyGroup } from '../api/get-dashboard-groups';

/** "Dashboard" in the main navigation, for people who follow at least one group (observers, group admins, admins). */
export function DashboardNavLink() {
  const t = useT();
  const user = useUser();
  const admin = isWorkspaceAdmin(user);
  const follows = useFollowsAnyGroup(!admin);
  if (!admin && !follows.data) return null;
  return <NavLink to={paths.dashboard.getHref()}>{t('layout.dashboard')}</NavLink>;
}
