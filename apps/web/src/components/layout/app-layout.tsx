import { useState } from 'react';
import { Link, Outlet, useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useUser, useAuth } from '@/lib/auth';

export function AppLayout() {
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    await logout();
    await navigate(paths.auth.login.getHref(), { replace: true });
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to={paths.home.getHref()} className="brand">
          Covey
        </Link>
        <div className="app-header-user">
          <span className="muted">
            {user.firstName} {user.lastName}
          </span>
          <button type="button" className="button" onClick={signOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="app-main">
        <Outlet />
      </main>
    </>
  );
}
