import type { Session } from '@covey/schema';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { exchangeRefreshToken } from '../api/identity';
import { useEnterApp } from '../hooks/use-enter-app';
import { clearFragment, readSsoHandOff } from '../utils/link-fragment';
import { AuthCard } from './auth-card';

/**
 * Where the API lands a single sign-on: `#refreshToken=…&redirectTo=/path`. The refresh token is traded for a
 * session at once (it rotates, so it works only once), kept as a password sign-in would be, and the person goes on
 * to the page they asked for (a path of this app only).
 */
export function SsoPage() {
  const t = useT();
  const enterApp = useEnterApp();
  const [handOff] = useState(() => readSsoHandOff(window.location.hash));
  const [failed, setFailed] = useState(handOff === null);
  // One exchange per hand-off, even when an effect runs twice (React's strict mode): a second would be refused.
  const exchange = useRef<Promise<Session> | null>(null);
  const entered = useRef(false);

  useEffect(() => {
    clearFragment();
    if (!handOff) return;
    let live = true;
    exchange.current ??= exchangeRefreshToken(handOff.refreshToken);
    exchange.current.then(
      (session) => {
        if (!live || entered.current) return;
        entered.current = true;
        void enterApp(session, handOff.redirectTo);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [handOff, enterApp]);

  if (failed) {
    return (
      <AuthCard title={t('sso.failed.title')}>
        <div className="stack-sm">
          <p role="status">{t('sso.failed.body')}</p>
          <p>
            <Link className="button button-primary" to={paths.auth.login.getHref()}>
              {t('link.signIn')}
            </Link>
          </p>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('sso.title')}>
      <p className="page-status" role="status">
        {t('sso.signingIn')}
      </p>
    </AuthCard>
  );
}
