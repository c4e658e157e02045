import { NavLink, Outlet } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';

export function AdminLayout() {
  const t = useT();
  return (
    <div className="stack">
      <nav className="tabs" aria-label={t('admin.nav')}>
        <NavLink to={paths.admin.groups.getHref()}>{t('admin.groups')}</NavLink>
        <NavLink to={paths.admin.programs.getHref()}>{t('admin.programs')}</NavLink>
        <NavLink to={paths.admin.users.getHref()} end>
          {t('admin.users')}
        </NavLink>
        <NavLink to={paths.admin.importUsers.getHref()}>{t('admin.import')}</NavLink>
        <NavLink to={paths.admin.rules.getHref()}>{t('admin.rules')}</NavLink>
        <NavLink to={paths.admin.settings.getHref()}>{t('admin.settings')}</NavLink>
        <NavLink to={paths.admin.integrations.getHref()}>{t('admin.integrations')}</NavLink>
        <NavLink to={paths.admin.mailbox.getHref()}>{t('admin.mailbox')}</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
