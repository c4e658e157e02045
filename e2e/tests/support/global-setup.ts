import type { FullConfig } from '@playwright/test';
import { startTestProvider } from './oidc-provider.ts';

/** Starts the test OpenID Provider the single sign-on spec signs in through (see oidc-provider.ts). */
export default async function globalSetup(config: FullConfig) {
  const bases = config.projects.flatMap((project) => (project.use.baseURL ? [project.use.baseURL] : []));
  const stop = await startTestProvider(bases);
  if (!stop)
    console.warn('The test OpenID Provider port is taken: the single sign-on spec uses the one listening there.');
  return stop ?? undefined;
}
