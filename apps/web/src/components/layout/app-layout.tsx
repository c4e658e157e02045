import { Suspense, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router-dom';
import { Avatar } from '@/components/ui/avatar';
import { PageLoading } from '@/components/ui/page-loading';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { paths } from '@/config/paths';
import { useUser, useAuth, isWorkspaceAdmin } from '@/lib/auth';
import { useT } from '@/lib/i18n';

/**
 * The signed-in frame. `actions` lets the app put feature widgets (the notifications bell) in the header, and
 * `navExtra` feature links (the observer dashboard) in the main navigation.
 */
export function AppLayout({ actions, navExtra }: { actions?: ReactNode; navExtra?: ReactNode }) {
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const t = useT();
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    await logout();
    await navigate(paths.auth.login.getHref(), { replace: true });
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <header className="app-header">
        <Link to={paths.home.getHref()} className="brand">
          Covey
        </Link>
        <nav aria-label={t('layout.mainNav')} className="app-nav">
          <NavLink to={paths.home.getHref()} end>
            {t('layout.home')}
          </NavLink>
          {navExtra}
          {isWorkspaceAdmin(user) && <NavLink to={paths.admin.root.getHref()}>{t('layout.admin')}</NavLink>}
        </nav>
        <div className="app-header-user">
          {actions}
          <LanguageSwitch signedIn />
          {/* The way to one's profile; on a phone the initials stand for the name. */}
          <NavLink
            to={paths.profile.getHref()}
            className="profile-link"
            aria-label={t('layout.profileOf', { name: `${user.firstName} ${user.lastName}` })}
          >
            <Avatar firstName={user.firstName} lastName={user.lastName} size="sm" />
            <span className="user-name">
              {user.firstName} {user.lastName}
            </span>
          </NavLink>
          <button type="button" className="button" onClick={signOut} disabled={signingOut}>
            {t('layout.signOut')}
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {/* A screen whose code or data is still coming shows the status line under the header. */}
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
