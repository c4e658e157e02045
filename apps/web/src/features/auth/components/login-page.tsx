import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { paths } from '@/config/paths';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { useAuth, type LoginInput } from '@/lib/auth';
import { describeError } from '@/lib/errors';
import { useI18n } from '@/lib/i18n';

// Only same-app paths: an open redirect through ?redirectTo= would be a phishing aid.
function safeRedirect(target: string | null): string {
  return target?.startsWith('/') && !target.startsWith('//') ? target : paths.home.getHref();
}

export function LoginPage() {
  const { status, login } = useAuth();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const redirectTo = safeRedirect(searchParams.get('redirectTo'));
  const errorId = useId();
  const { t, hasStoredLocale, setLocale } = useI18n();
  const loginMutation = useMutation({
    mutationFn: (input: LoginInput) => login(input),
    onSuccess: (user) => {
      // A language chosen on this device wins; otherwise follow the account's preference.
      if (!hasStoredLocale && (user.locale === 'en' || user.locale === 'fr')) setLocale(user.locale);
      return navigate(redirectTo, { replace: true });
    },
  });

  if (status === 'authenticated' && !loginMutation.isPending) return <Navigate to={redirectTo} replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    loginMutation.mutate({ email: text('email').trim(), password: text('password') });
  };

  return (
    <main id="main" className="auth-page">
      <div className="card auth-card">
        <div className="page-title-row">
          <p className="brand">Covey</p>
          <LanguageSwitch signedIn={false} />
        </div>
        <h1>{t('login.title')}</h1>
        <form className="form" onSubmit={onSubmit} aria-describedby={loginMutation.isError ? errorId : undefined}>
          <div className="field">
            <label htmlFor="login-email">{t('login.email')}</label>
            <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="field">
            <label htmlFor="login-password">{t('login.password')}</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" required />
          </div>
          {loginMutation.isError && (
            <p id={errorId} className="form-error" role="alert">
              {describeError(loginMutation.error, t)}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={loginMutation.isPending}>
            {t('login.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
