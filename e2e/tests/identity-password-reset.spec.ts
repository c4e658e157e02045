import { expect, test } from '@playwright/test';
import { choosePassword, linkFromMailbox } from './support/identity.ts';
import { DEMO_PASSWORD, expectAccessible } from './support/pages.ts';

// A learner no other spec signs in as: their password changes here.
const learner = 'learner29@demo.covey.test';
const newPassword = `quiet harbour lamp ${Date.now().toString(36)}`;
const sent = 'If an account exists for this address, we sent a link to it.';

test('a learner who forgot their password resets it from the mailed link; the old one no longer works', async ({
  page,
  request,
}) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expectAccessible(page);

  // The same answer for an address nobody uses: the page does not tell who has an account.
  await page.getByLabel('Email').fill(`nobody.${Date.now()}@e2e.covey.test`);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toHaveText(sent);

  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(learner);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toHaveText(sent);
  await expectAccessible(page);

  const link = await linkFromMailbox(request, learner, 'reset-password');
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByText(`For ${learner}.`)).toBeVisible();
  await expect(page).toHaveURL(/\/reset-password$/);
  await expectAccessible(page);

  await choosePassword(page, newPassword);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();

  // Signed out, the old password is refused and the new one works.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(learner);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();

  // The link worked once: opened again, it says so and offers a new one.
  await page.goto(link);
  await expect(
    page.getByRole('heading', { level: 1, name: 'This link has expired or was already used' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Send me a new link' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});

test('a made-up reset link is refused with the way to ask for a new one', async ({ page }) => {
  await page.goto('/reset-password#token=this-is-not-a-real-token-0123456789');
  await expect(
    page.getByRole('heading', { level: 1, name: 'This link has expired or was already used' }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Send me a new link' })).toBeVisible();
  await expectAccessible(page);
});
