import { expect, test } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { screenSizes } from './support/sizes.ts';

const admin = 'admin@demo.covey.test';

for (const size of screenSizes) {
  test.describe(`groups admin (${size.name})`, () => {
    test.use({ viewport: size.viewport, permissions: ['clipboard-read', 'clipboard-write'] });
    test.slow();

    test('a new group inherits its branding until set, shows its ids to copy, and is deleted after the dry run', async ({
      page,
      request,
    }) => {
      const name = `Marseille ${size.name} ${Date.now().toString(36)}`;
      const api = await apiAs(request, admin);
      const france = (await api.get('/api/v1/groups?q=France')).items[0];

      await signIn(page, admin);
      await page.goto(`/admin/groups/new?parentId=${france.id}`);
      await expect(page.getByRole('heading', { level: 1, name: 'New group' })).toBeVisible();
      // France sets a main colour, Acme (above it) the accent: the new group shows both, stored as nothing of its own.
      await expect(page.getByText('Inherited from France')).toBeVisible();
      await expect(page.getByText('Inherited from Acme')).toBeVisible();
      await expect(page.getByLabel('Main colour')).toHaveValue(france.branding.primary.value);
      await expectAccessible(page);
      await page.getByLabel('Group name').fill(name);
      await page.getByRole('button', { name: 'Create group' }).click();
      await expect(page.getByRole('heading', { level: 1, name: `Edit ${name}` })).toBeVisible();
      const created = (await api.get(`/api/v1/groups?q=${encodeURIComponent(name)}`)).items[0];
      expect(created.colors).toEqual({});

      // Its id, copied with an announcement.
      await expect(page.getByText(created.id)).toBeVisible();
      await expect(page.getByText('No external id (set by integrations and SCIM)')).toBeVisible();
      await page.getByRole('button', { name: 'Copy Id' }).click();
      await expect(page.getByText('Id copied to the clipboard.')).toBeVisible();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(created.id);

      // Its own main colour, then back to inherited.
      await page.getByLabel('Main colour').fill('#0b5d1e');
      await expect(page.getByText('Set on this group')).toBeVisible();
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('Changes saved.')).toBeVisible();
      expect((await api.get(`/api/v1/groups/${created.id}`)).colors).toEqual({ primary: '#0b5d1e' });
      await page.getByRole('button', { name: 'Reset to inherited (Main colour)' }).click();
      await expect(page.getByRole('form', { name: 'Save' }).getByText('Inherited from France')).toBeVisible();
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('Changes saved.')).toBeVisible();
      await expect.poll(async () => (await api.get(`/api/v1/groups/${created.id}`)).colors).toEqual({});
      await expectAccessible(page);
      await saveScreenshot(page, `admin-group-ids-${size.name}`);
      await expect(page.locator('html')).toHaveJSProperty('scrollWidth', size.viewport.width);

      // Deleting says what happens to members and enrollments first.
      await page.getByRole('button', { name: 'Delete group…' }).click();
      const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
      await expect(dialog.getByText(`${name} will be deleted. It has no members.`)).toBeVisible();
      await expect(dialog.getByText('No enrollment will be withdrawn.')).toBeVisible();
      await expectAccessible(page);
      await saveScreenshot(page, `admin-group-delete-${size.name}`);
      await dialog.getByRole('button', { name: 'Delete group' }).click();
      await expect(dialog.getByText(`${name} deleted.`)).toBeVisible();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
    });
  });
}
