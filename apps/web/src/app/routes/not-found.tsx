import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';

export function Component() {
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <h1>Page not found</h1>
        <p>
          <Link to={paths.home.getHref()}>Back to home</Link>
        </p>
      </div>
    </main>
  );
}
