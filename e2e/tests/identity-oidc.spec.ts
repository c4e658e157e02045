import { expect, test } from '@playwright/test';
import { OIDC_NAME } from './support/oidc-provider.ts';
import { expectAccessible } from './support/pages.ts';

// Signs in through the test OpenID Provider (started by support/global-setup.ts; the Covey server gets its
// COVEY_OIDC_* settings from playwright.config.ts). Skipped against a server without OpenID Connect configured.
const learner = 'learner26@demo.covey.test';

test.beforeEach(async ({ request }) => {
  const methods = (await (await request.get('/api/v1/auth/methods')).json()) as { oidc: { name: string } | null };
  test.skip(methods.oidc?.name !== OIDC_NAME, 'OpenID Connect is not configured with the test provider here');
});

test('a learner signs in through the OpenID Provider and lands on the page they asked for', async ({ page }) => {
  await page.goto('/notifications');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fnotifications$/);
  await page.getByRole('link', { name: `Sign in with ${OIDC_NAME}` }).click();

  // At the provider.
  await expect(page.getByRole('heading', { level: 1, name: OIDC_NAME })).toBeVisible();
  await page.getByLabel('Work e-mail').fill(learner);
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back in Covey, signed in, where they were going; the hand-off left no token in the address bar.
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('someone the provider knows but Covey does not is told why, with the way back', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: `Sign in with ${OIDC_NAME}` }).click();
  await page.getByLabel('Work e-mail').fill(`stranger.${Date.now()}@e2e.covey.test`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You could not be signed in' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Back to the sign-in page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});
