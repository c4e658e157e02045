import type { ReactNode } from 'react';
import { LanguageSwitch } from '@/components/ui/language-switch';

/** The frame of the public pages (sign-in, links from e-mails): brand, language, one card. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <div className="card auth-card">
        <div className="page-title-row">
          <p className="brand">Covey</p>
          <LanguageSwitch signedIn={false} />
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
