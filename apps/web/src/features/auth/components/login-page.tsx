import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useAuth, type LoginInput } from '@/lib/auth';
import { describeError } from '@/lib/errors';
import { formText } from '@/lib/form';
import { useI18n } from '@/lib/i18n';
import { ssoProviders, useSignInMethods } from '../api/identity';
import { safeRedirect } from '../utils/redirect';
import { AuthCard } from './auth-card';
import { SsoButtons } from './sso-buttons';

export function LoginPage() {
  const { status, login } = useAuth();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const redirectTo = safeRedirect(searchParams.get('redirectTo'));
  const errorId = useId();
  const { t, hasStoredLocale, setLocale } = useI18n();
  const methods = useSignInMethods();
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
    loginMutation.mutate({ email: formText(form, 'email'), password: (form.get('password') as string | null) ?? '' });
  };

  // Until the API says otherwise (or if it cannot), passwords work: the form is the safe default.
  const providers = ssoProviders(methods.data);
  const passwordsForAll = methods.data?.password ?? true;

  const passwordForm = (
    <form className="form" onSubmit={onSubmit} aria-describedby={loginMutation.isError ? errorId : undefined}>
      <div className="field">
        <label htmlFor="login-email">{t('login.email')}</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus={passwordsForAll && providers.length === 0}
        />
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
      {/* With single sign-on offered, its button is the main way in; the password one steps back. */}
      <button
        type="submit"
        className={providers.length > 0 ? 'button' : 'button button-primary'}
        disabled={loginMutation.isPending}
      >
        {t('login.submit')}
      </button>
      <p className="auth-links">
        <Link to={paths.auth.forgotPassword.getHref()}>{t('login.forgot')}</Link>
      </p>
    </form>
  );

  return (
    <AuthCard title={t('login.title')}>
      {methods.isPending ? (
        <Skeleton lines={3} />
      ) : (
        <div className="stack-sm">
          <SsoButtons providers={providers} redirectTo={redirectTo} />
          {passwordsForAll || providers.length === 0 ? (
            <>
              {providers.length > 0 && (
                <p className="auth-separator">
                  <span>{t('login.or')}</span>
                </p>
              )}
              {passwordForm}
            </>
          ) : (
            // Single sign-on only: the owner keeps a password to get in when the provider is down (break-glass).
            <details className="owner-sign-in">
              <summary>{t('login.ownerSignIn')}</summary>
              <p className="muted small">{t('login.ownerHint')}</p>
              {passwordForm}
            </details>
          )}
        </div>
      )}
    </AuthCard>
  );
}
