import { expect, test } from '@playwright/test';
import { choosePassword, countLinks, linkFromMailbox } from './support/identity.ts';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';

const run = Date.now().toString(36);
const newcomer = { firstName: 'Inès', lastName: 'Invitée', email: `ines.${run}@e2e.covey.test` };
const password = `lantern orbit maple ${run}`;
// The people list's row: a selection box, the person (its row header), the role, then the status.
const STATUS = 2;

test('an admin invites a person without a password; they choose one from the mail and land signed in', async ({
  page,
  browser,
  request,
}) => {
  await signIn(page, 'admin@demo.covey.test');
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('First name').fill(newcomer.firstName);
  await form.getByLabel('Last name').fill(newcomer.lastName);
  await form.getByLabel('Email').fill(newcomer.email);
  // No password is asked for: the person chooses their own.
  await expect(form.locator('input[type="password"]')).toHaveCount(0);
  await expect(form.getByText(`An invitation will be sent to ${newcomer.email}`)).toBeVisible();
  await expectAccessible(page);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByRole('status')).toHaveText(`Invitation sent to ${newcomer.email}.`);

  // The people list says they are invited, until when.
  await page.getByLabel('Search').fill(newcomer.email);
  const row = page.getByRole('row', { name: new RegExp(newcomer.email) });
  await expect(row.getByRole('cell').nth(STATUS)).toContainText('Invited');
  await expect(row).toContainText('Invitation valid until');

  // Resending: the dialog says what happens, then what happened; the first link stops working.
  const firstLink = await linkFromMailbox(request, newcomer.email, 'invite');
  await row.getByRole('button', { name: `Resend invitation ${newcomer.email}` }).click();
  const dialog = page.getByRole('dialog', {
    name: `Send a new invitation to ${newcomer.firstName} ${newcomer.lastName}?`,
  });
  await expect(dialog).toContainText('A link sent before stops working.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(dialog.getByRole('status')).toContainText(
    `Invitation sent to ${newcomer.email}. The link is valid until`,
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => countLinks(request, newcomer.email, 'invite')).toBe(2);
  const link = await linkFromMailbox(request, newcomer.email, 'invite');
  expect(link).not.toBe(firstLink);

  // The newcomer, in their own browser.
  const context = await browser.newContext();
  const guest = await context.newPage();
  await guest.goto(firstLink);
  await expect(
    guest.getByRole('heading', { level: 1, name: 'This link has expired or was already used' }),
  ).toBeVisible();

  await guest.goto(link);
  await expect(guest.getByRole('heading', { level: 1, name: `Welcome, ${newcomer.firstName}` })).toBeVisible();
  await expect(guest.getByText(`Choose a password for ${newcomer.email}.`)).toBeVisible();
  // The token leaves the address bar as soon as it is read.
  await expect(guest).toHaveURL(/\/invite$/);
  await expectAccessible(guest);
  await saveScreenshot(guest, 'invitation');

  // Two different passwords are caught before anything is sent.
  await choosePassword(guest, password, `${password}!`);
  await expect(guest.getByRole('alert')).toHaveText('The two passwords are not the same.');

  // A password everyone uses is refused by the API, and said so.
  await choosePassword(guest, 'password1234');
  await expect(guest.getByRole('alert')).toHaveText(/too easy to guess/);

  await choosePassword(guest, password);
  await expect(guest).toHaveURL(/\/$/);
  await expect(guest.getByRole('heading', { level: 1, name: `Welcome, ${newcomer.firstName}` })).toBeVisible();
  await expect(guest.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // The link worked once.
  await guest.goto(link);
  await expect(
    guest.getByRole('heading', { level: 1, name: 'This link has expired or was already used' }),
  ).toBeVisible();
  await expect(guest.getByRole('link', { name: 'Go to sign in' })).toBeVisible();
  await expectAccessible(guest);
  await context.close();

  // For the admin, the person is now active: a password reset can be sent, no invitation any more.
  await page.reload();
  await page.getByLabel('Search').fill(newcomer.email);
  await expect(row.getByRole('cell').nth(STATUS)).toHaveText('Active');
  await expect(row.getByRole('button', { name: `Resend invitation ${newcomer.email}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Send password reset ${newcomer.email}` })).toBeVisible();
});

test('an incomplete invitation link says so, with the way forward', async ({ page }) => {
  await page.goto('/invite');
  await expect(page.getByRole('heading', { level: 1, name: 'This link is incomplete' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to sign in' })).toBeVisible();
  await expectAccessible(page);
});

test('an admin revokes a pending invitation, and mails a password reset to someone active', async ({
  page,
  browser,
  request,
}) => {
  const invitee = { firstName: 'Rémi', lastName: 'Revoked', email: `remi.${run}@e2e.covey.test` };
  const admin = await apiAs(request, 'admin@demo.covey.test');
  await admin.post('/api/v1/users', invitee);
  const firstLink = await linkFromMailbox(request, invitee.email, 'invite');

  await signIn(page, 'admin@demo.covey.test');
  await page.goto('/admin/users');
  await page.getByLabel('Search').fill(invitee.email);
  const row = page.getByRole('row', { name: new RegExp(invitee.email) });
  await row.getByRole('button', { name: `Revoke invitation ${invitee.email}` }).click();
  const revoke = page.getByRole('dialog', {
    name: `Revoke the invitation of ${invitee.firstName} ${invitee.lastName}?`,
  });
  await expect(revoke).toContainText(`The link sent to ${invitee.email} stops working.`);
  await revoke.getByRole('button', { name: 'Revoke the invitation' }).click();
  await expect(revoke.getByRole('status')).toHaveText(/is revoked: the link no longer works/);
  await revoke.getByRole('button', { name: 'Close' }).click();
  await expect(row.getByRole('cell').nth(STATUS)).toContainText('No valid invitation');
  await expect(row.getByRole('button', { name: `Revoke invitation ${invitee.email}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Resend invitation ${invitee.email}` })).toBeVisible();

  const context = await browser.newContext();
  const guest = await context.newPage();
  await guest.goto(firstLink);
  await expect(
    guest.getByRole('heading', { level: 1, name: 'This link has expired or was already used' }),
  ).toBeVisible();
  await context.close();

  // Someone active: a reset link, never a password typed by the admin.
  const learner = 'learner28@demo.covey.test';
  await page.getByLabel('Search').fill(learner);
  const learnerRow = page.getByRole('row', { name: new RegExp(learner) });
  await learnerRow.getByRole('button', { name: `Send password reset ${learner}` }).click();
  const reset = page.getByRole('dialog', { name: /^Send a password reset to / });
  await expect(reset).toContainText(`An e-mail goes to ${learner} with a link to choose a new password.`);
  await expectAccessible(page);
  await reset.getByRole('button', { name: 'Send the link' }).click();
  await expect(reset.getByRole('status')).toContainText(`A link to reset the password was sent to ${learner}.`);
  await reset.getByRole('button', { name: 'Close' }).click();
  await linkFromMailbox(request, learner, 'reset-password');
});
