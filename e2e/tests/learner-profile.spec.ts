import { expect, test } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { createPerson, expectFitsScreen, forEachScreen, PASSWORD } from './support/learner.ts';

forEachScreen((screen) => {
  test('a learner changes their name, e-mail preference, language and password on their profile', async ({ page, request }) => {
    // A long e-mail local part, so that "your own e-mail" is a password of valid length.
    const person = await createPerson(request, `profile-${screen.name}-person`);
    await signIn(page, person.email, PASSWORD);
    await page.getByRole('link', { name: `Profile: ${person.name}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My profile' })).toBeVisible();
    await expect(page.getByText(`You sign in as ${person.email}.`)).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, `profile-${screen.name}`);
    await expectFitsScreen(page);

    // Name: the header follows at once.
    await page.getByLabel('First name').fill('Zoé');
    await page.getByRole('button', { name: 'Save my name' }).click();
    await expect(page.getByRole('region', { name: 'Name' }).getByRole('status')).toHaveText('Saved.');
    await expect(page.getByRole('link', { name: 'Profile: Zoé Lopez' })).toBeVisible();

    // Password: each refusal says why, next to the field it is about.
    const current = page.getByLabel('Current password');
    const fresh = page.getByLabel('New password', { exact: true });
    const confirmation = page.getByLabel('Confirm the new password');
    const change = page.getByRole('button', { name: 'Change my password' });
    const alert = page.getByRole('alert');
    await current.fill(PASSWORD);
    await fresh.fill('short');
    await confirmation.fill('short');
    await change.click();
    await expect(alert).toHaveText('The new password needs 10 characters or more.');
    await expect(fresh).toHaveAttribute('aria-invalid', 'true');
    await fresh.fill('password123');
    await confirmation.fill('password123');
    await change.click();
    await expect(alert).toHaveText('This password is one of the most common ones. Choose another.');
    await fresh.fill(person.email.split('@')[0]!);
    await confirmation.fill(person.email.split('@')[0]!);
    await change.click();
    await expect(alert).toHaveText('A password cannot be your e-mail address or your name.');
    await expectAccessible(page);
    const next = `${PASSWORD}-renewed`;
    await current.fill('not-my-password');
    await fresh.fill(next);
    await confirmation.fill(next);
    await change.click();
    await expect(alert).toHaveText('The current password is incorrect.');
    await expect(current).toHaveAttribute('aria-invalid', 'true');
    await current.fill(PASSWORD);
    await change.click();
    await expect(page.getByRole('region', { name: 'Password' }).getByRole('status')).toHaveText(/^Password changed\./);
    await expect(alert).toHaveCount(0);

    // E-mail preference and language, kept by the server: the app switches to French at once.
    await page.getByLabel('Once a day').check();
    await page.getByLabel('Language of the app and of my e-mails').selectOption('fr');
    await page.getByRole('button', { name: 'Save my preferences' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mon profil' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'E-mails et langue' }).getByRole('status')).toHaveText('Enregistré.');
    await expectAccessible(page);
    const me = await (await apiAs(request, person.email, next)).get('/api/v1/me');
    expect(me).toMatchObject({ firstName: 'Zoé', notifyEmail: 'digest', locale: 'fr' });
    await page.reload();
    await expect(page.getByLabel('Une fois par jour')).toBeChecked();
    await expect(page.getByLabel('Langue de l’application et de mes e-mails')).toHaveValue('fr');

    // The old password no longer opens the account.
    const old = await request.post('/api/v1/auth/login', { data: { email: person.email, password: PASSWORD } });
    expect(old.status()).toBe(401);
  });
});
