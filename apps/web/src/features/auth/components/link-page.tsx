import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { useT } from '@/lib/i18n';
import {
  acceptInvitation,
  linkCheckQueryOptions,
  resetPassword,
  ssoProviders,
  useSignInMethods,
  type LinkKind,
} from '../api/identity';
import { useEnterApp } from '../hooks/use-enter-app';
import { clearFragment, readLinkToken } from '../utils/link-fragment';
import { AuthCard } from './auth-card';
import { SetPasswordForm } from './set-password-form';
import { SsoButtons } from './sso-buttons';

/** An invalid, used or expired link: the API answers 410 `link_expired`. */
const isExpired = (error: unknown) =>
  error instanceof ApiError && (error.status === 410 || error.code === 'link_expired');

const pagePath: Record<LinkKind, string> = {
  invite: paths.auth.invite.getHref(),
  reset: paths.auth.resetPassword.getHref(),
};

/** A link that cannot be used (none in the address, or expired or used): why, and how to get a working one. */
function LinkProblem({ kind, missing }: { kind: LinkKind; missing: boolean }) {
  const t = useT();
  // Resetting: asking for a new link first; an invitation: signing in first (the account may exist already).
  const forgot = {
    href: paths.auth.forgotPassword.getHref(),
    label: kind === 'reset' ? t('link.askNew') : t('login.forgot'),
  };
  const signIn = { href: paths.auth.login.getHref(), label: t('link.signIn') };
  return (
    <AuthCard title={missing ? t('link.missing.title') : t('link.expired.title')}>
      <div className="stack-sm">
        <p role="status">{missing ? t('link.missing.body') : t(`link.expired.${kind}`)}</p>
        {kind !== 'reset' && <p className="muted">{t('link.expired.inviteSignedUp')}</p>}
        <p className="button-row">
          {(kind === 'reset' ? [forgot, signIn] : [signIn, forgot]).map((link, index) => (
            <Link key={link.href} className={index === 0 ? 'button button-primary' : 'button'} to={link.href}>
              {link.label}
            </Link>
          ))}
        </p>
      </div>
    </AuthCard>
  );
}

/**
 * The page an invitation or password reset e-mail links to (`#token=…`): checks the link, asks for a password twice,
 * then signs the person in.
 */
function OneTimeLinkPage({ kind, token }: { kind: LinkKind; token: string | null }) {
  const t = useT();
  const enterApp = useEnterApp();

  const check = useQuery({ ...linkCheckQueryOptions(token ?? ''), enabled: token !== null });
  const methods = useSignInMethods();
  const submit = useMutation({
    mutationFn: (password: string) =>
      (kind === 'invite' ? acceptInvitation : resetPassword)({ token: token ?? '', password }),
    onSuccess: (session) => enterApp(session),
  });

  const titleWhileChecking = kind === 'invite' ? t('invite.pageTitle') : t('reset.title');
  if (token === null) return <LinkProblem kind={kind} missing />;
  if (isExpired(check.error) || isExpired(submit.error)) return <LinkProblem kind={kind} missing={false} />;
  if (check.isPending) {
    return (
      <AuthCard title={titleWhileChecking}>
        <Skeleton lines={3} label={t('link.checking')} />
      </AuthCard>
    );
  }
  if (check.isError) {
    return (
      <AuthCard title={titleWhileChecking}>
        <ErrorNotice error={check.error} onRetry={() => void check.refetch()} />
      </AuthCard>
    );
  }

  const link = check.data;
  // A reset link opened on the invitation page (or the reverse): the other page handles it.
  if (link.kind !== kind) return <Navigate to={`${pagePath[link.kind]}#token=${encodeURIComponent(token)}`} replace />;

  const form = (
    <SetPasswordForm
      email={link.email}
      submitLabel={kind === 'invite' ? t('invite.submit') : t('reset.submit')}
      pending={submit.isPending || submit.isSuccess}
      error={submit.error}
      onSubmit={(password) => submit.mutate(password)}
    />
  );

  if (kind === 'reset') {
    return (
      <AuthCard title={t('reset.title')}>
        <div className="stack-sm">
          <p>{t('reset.for', { email: link.email })}</p>
          {form}
        </div>
      </AuthCard>
    );
  }

  // Single sign-on only: people sign in through the provider; a password is for the owner (break-glass).
  const providers = ssoProviders(methods.data);
  const ssoOnly = methods.data?.password === false && providers.length > 0;
  return (
    <AuthCard title={t('invite.title', { firstName: link.firstName })}>
      <div className="stack-sm">
        {ssoOnly ? (
          <>
            <p>{t('invite.useSso', { email: link.email })}</p>
            <SsoButtons providers={providers} redirectTo={paths.home.getHref()} />
            <details className="owner-sign-in">
              <summary>{t('invite.passwordAnyway')}</summary>
              {form}
            </details>
          </>
        ) : (
          <>
            <p>{t('invite.intro', { email: link.email })}</p>
            {form}
          </>
        )}
      </div>
    </AuthCard>
  );
}

/**
 * The token leaves the address bar at once (the router keeps it in memory, so a reload shows "incomplete link"). A
 * second link opened in the same tab changes only the fragment: the page starts over for it.
 */
function OneTimeLink({ kind }: { kind: LinkKind }) {
  const { hash } = useLocation();
  const token = readLinkToken(hash);
  useEffect(() => clearFragment(), [hash]);
  return <OneTimeLinkPage key={token ?? ''} kind={kind} token={token} />;
}

export const InvitePage = () => <OneTimeLink kind="invite" />;
export const ResetPasswordPage = () => <OneTimeLink kind="reset" />;
