import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { useAuth, type LoginInput } from '@/lib/auth';

function describeError(error: Error): string {
  if (!(error instanceof ApiError)) return 'Could not reach the server. Check your connection and try again.';
  if (error.status === 401) return 'Incorrect email or password.';
  if (error.status === 429) return 'Too many attempts. Wait a moment and try again.';
  return error.detail ?? error.title;
}

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
  const loginMutation = useMutation({
    mutationFn: (input: LoginInput) => login(input),
    onSuccess: () => navigate(redirectTo, { replace: true }),
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
    <main className="auth-page">
      <div className="card auth-card">
        <p className="brand">Covey</p>
        <h1>Sign in</h1>
        <form className="form" onSubmit={onSubmit} aria-describedby={loginMutation.isError ? errorId : undefined}>
          <div className="field">
            <label htmlFor="login-email">Email</label>
            <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" required />
          </div>
          {loginMutation.isError && (
            <p id={errorId} className="form-error" role="alert">
              {describeError(loginMutation.error)}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={loginMutation.isPending}>
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
