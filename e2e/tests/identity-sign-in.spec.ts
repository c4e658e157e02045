import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, saveScreenshot } from './support/pages.ts';

// The sign-in page reads GET /auth/methods; these tests answer it themselves to show each configuration without
// restarting the server. The single sign-on hand-off itself is real: a refresh token from a real sign-in.
const provider = { name: 'Acme Workforce ID', startUrl: '/api/v1/auth/oidc/start' };

async function answerMethods(page: Page, methods: { password: boolean; oidc: typeof provider | null }) {
  await page.route('**/api/v1/auth/methods', (route) => route.fulfill({ json: { ...methods, saml: null } }));
}

test('the sign-in page offers single sign-on first, keeping the deep link, and the password form below', async ({
  page,
}) => {
  await answerMethods(page, { password: true, oidc: provider });
  await page.goto(`/login?redirectTo=${encodeURIComponent('/notifications')}`);
  const sso = page.getByRole('link', { name: `Sign in with ${provider.name}` });
  await expect(sso).toHaveAttribute('href', `${provider.startUrl}?redirectTo=%2Fnotifications`);
  await expect(page.getByLabel('Password')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Forgot password?' })).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'login-sso');
});

test('with single sign-on only, the password form is folded away for the owner (break-glass)', async ({ page }) => {
  await answerMethods(page, { password: false, oidc: provider });
  await page.goto('/login');
  await expect(page.getByRole('link', { name: `Sign in with ${provider.name}` })).toHaveAttribute(
    'href',
    `${provider.startUrl}?redirectTo=%2F`,
  );
  await expect(page.getByLabel('Password')).toBeHidden();
  await expectAccessible(page);
  await page.getByText('Owner sign-in').click();
  await page.getByLabel('Email').fill('owner@demo.covey.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
});

test('the single sign-on hand-off keeps the session like a sign-in and goes where it was asked', async ({
  page,
  request,
}) => {
  const login = await request.post('/api/v1/auth/login', {
    data: { email: 'learner27@demo.covey.test', password: DEMO_PASSWORD },
  });
  const { refreshToken } = (await login.json()) as { refreshToken: string };

  await page.goto(`/auth/sso#refreshToken=${refreshToken}&redirectTo=${encodeURIComponent('/notifications')}`);
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // Kept as a sign-in keeps it: a reload stays signed in.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page).toHaveURL(/\/notifications$/);

  // The token rotated: handed over again, it is refused, and the page says how to start again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`/auth/sso#refreshToken=${refreshToken}&redirectTo=%2F`);
  await expect(page.getByRole('heading', { level: 1, name: 'Single sign-on did not complete' })).toBeVisible();
  await expect(page).toHaveURL(/\/auth\/sso$/);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Go to sign in' }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test('a hand-off that would leave the site lands on the home page instead', async ({ page, request, baseURL }) => {
  const login = await request.post('/api/v1/auth/login', {
    data: { email: 'learner27@demo.covey.test', password: DEMO_PASSWORD },
  });
  const { refreshToken } = (await login.json()) as { refreshToken: string };
  await page.goto(`/auth/sso#refreshToken=${refreshToken}&redirectTo=${encodeURIComponent('//evil.example/x')}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(new URL(page.url()).pathname).toBe('/');
});
