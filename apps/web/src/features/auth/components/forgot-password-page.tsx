import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ErrorNotice } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { formText } from '@/lib/form';
import { useT } from '@/lib/i18n';
import { forgotPassword } from '../api/identity';
import { AuthCard } from './auth-card';

export function ForgotPasswordPage() {
  const t = useT();
  const id = useId();
  const send = useMutation({ mutationFn: forgotPassword });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send.mutate(formText(new FormData(event.currentTarget), 'email'));
  };

  return (
    <AuthCard title={t('forgot.title')}>
      {send.isSuccess ? (
        // The same words whether the address exists or not: this page must not tell who has an account.
        <div className="stack-sm">
          <p role="status" className="notice-success">
            {t('forgot.sent')}
          </p>
          <p className="muted small">{t('forgot.sentHint')}</p>
        </div>
      ) : (
        <form className="form" onSubmit={onSubmit} aria-describedby={`${id}-intro`}>
          <p id={`${id}-intro`} className="muted">
            {t('forgot.intro')}
          </p>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('login.email')}</label>
            <input id={`${id}-email`} name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          {send.isError && <ErrorNotice error={send.error} />}
          <button type="submit" className="button button-primary" disabled={send.isPending}>
            {t('forgot.submit')}
          </button>
        </form>
      )}
      <p className="auth-links">
        <Link to={paths.auth.login.getHref()}>{t('forgot.backToSignIn')}</Link>
      </p>
    </AuthCard>
  );
}
