import type { Session } from '@covey/schema';
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useAuth } from '@/lib/auth';
import { useI18n } from '@/lib/i18n';

/** Keeps a fresh session exactly as the sign-in form does, then opens the app (home unless told otherwise). */
export function useEnterApp() {
  const { startSession } = useAuth();
  const { hasStoredLocale, setLocale } = useI18n();
  const navigate = useNavigate();
  return useCallback(
    (session: Session, redirectTo: string = paths.home.getHref()) => {
      const user = startSession(session);
      // A language chosen on this device wins; otherwise follow the account's preference.
      if (!hasStoredLocale && (user.locale === 'en' || user.locale === 'fr')) setLocale(user.locale);
      return navigate(redirectTo, { replace: true });
    },
    [startSession, hasStoredLocale, setLocale, navigate],
  );
}
