import { expect, test } from '@playwright/test';

// Seeded by COVEY_SEED_DEMO=1; the demo learner belongs to at least one group.
const learner = { email: 'learner1@demo.covey.test', password: 'covey-demo-1' };

test('a learner signs in, sees their groups, and signs out', async ({ page }) => {
  await page.goto('/');

  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.getByLabel('Email').fill(learner.email);
  await page.getByLabel('Password').fill(learner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
  const groups = page.getByRole('list', { name: 'My groups' });
  await expect(groups.getByRole('listitem').first()).toBeVisible();

  // A return visit renders at once from the profile kept on this device, and still asks GET /me again.
  const stored = async () =>
    (await page.context().storageState()).origins.flatMap((o) => o.localStorage).find((e) => e.name === 'covey.profile')
      ?.value ?? null;
  expect(JSON.parse((await stored()) ?? '{}')).toMatchObject({ email: learner.email });
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.status() === 200);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  await asked;

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await stored()).toBeNull();

  // The session is really gone: the home page sends us back to the login page.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});
