import { NotFoundScreen } from '@/components/ui/not-found-screen';

export function Component() {
  return (
    <main id="main" className="auth-page">
      <NotFoundScreen />
    </main>
  );
}
