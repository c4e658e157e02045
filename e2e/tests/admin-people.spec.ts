import { expect, test } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { screenSizes } from './support/sizes.ts';

const admin = 'admin@demo.covey.test';

for (const size of screenSizes) {
  test.describe(`people admin (${size.name})`, () => {
    test.use({ viewport: size.viewport });
    test.slow();

    test('pages through everyone, filters by group, adds a selection to a group and deactivates it', async ({ page, request }) => {
      const tag = `Pp${size.name}${Date.now().toString(36)}`;
      const api = await apiAs(request, admin);
      // Enough people that the list needs more than one page of 50, three of them tagged for the journey.
      const made: { id: string; email: string }[] = [];
      for (let i = 0; i < 18; i++) {
        made.push(
          await api.post('/api/v1/users', {
            email: `u${i}.${size.name}.${Math.random().toString(36).slice(2, 10)}@e2e.covey.test`,
            firstName: `P${i}`,
            lastName: i < 3 ? tag : `Filler${size.name}`,
            ...(i === 0 ? { externalId: `hr-${tag}` } : {}),
            invite: false,
          }),
        );
      }

      await signIn(page, admin);
      await page.goto('/admin/users');
      await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
      const list = page.getByRole('table', { name: 'All users' });
      const filters = page.getByRole('search', { name: 'Filter people' });
      await expect(page.getByText(/people shown, more to load/)).toBeVisible();
      await expectAccessible(page);
      await saveScreenshot(page, `admin-people-${size.name}`);
      // Nothing wider than the screen: the table scrolls within its card, the page does not.
      await expect(page.locator('html')).toHaveJSProperty('scrollWidth', size.viewport.width);
      // "Load more" until everyone is there.
      while (await page.getByRole('button', { name: 'Load more' }).isVisible()) {
        await page.getByRole('button', { name: 'Load more' }).click();
        await expect(page.getByRole('button', { name: 'Loading…' })).toHaveCount(0);
      }
      await expect(page.getByText(/^Everyone shown: \d+ people$/)).toBeVisible();
      const total = (await api.get('/api/v1/users?limit=100')).items.length as number;
      expect(await list.locator('tbody tr').count()).toBeGreaterThanOrEqual(Math.min(total, 51));

      // Search: the tagged three, with the external id shown.
      await filters.getByLabel('Search').fill(tag);
      await expect(list.locator('tbody tr')).toHaveCount(3);
      await expect(list.getByText(`hr-${tag}`)).toBeVisible();
      await expect(page.getByText('Everyone shown: 3 people')).toBeVisible();

      // Select them and add them to Lyon, through the bulk API.
      await page.getByLabel('Select the 3 people shown').check();
      await expect(page.getByText('3 people selected')).toBeVisible();
      await page.getByLabel('Group to add them to', { exact: true }).selectOption({ label: 'Lyon' });
      await page.getByRole('button', { name: 'Add to group' }).click();
      await expect(page.getByText('3 people added to Lyon.')).toBeVisible();

      // The group filter covers the subtree: in Lyon, in France (its parent), not in Belgium.
      await filters.getByLabel('Group', { exact: true }).selectOption({ label: 'Lyon' });
      await expect(list.locator('tbody tr')).toHaveCount(3);
      await filters.getByLabel('Group', { exact: true }).selectOption({ label: 'France' });
      await expect(list.locator('tbody tr')).toHaveCount(3);
      await filters.getByLabel('Group', { exact: true }).selectOption({ label: 'Belgium' });
      await expect(page.getByText('Nobody matches.')).toBeVisible();
      await filters.getByLabel('Group', { exact: true }).selectOption({ label: 'Any group' });
      await expect(list.locator('tbody tr')).toHaveCount(3);

      // Deactivate two of them: the dry run says what happens first.
      await page.getByRole('button', { name: 'Clear selection' }).click();
      await expect(page.getByText(/^Nobody selected/)).toBeVisible();
      await page.getByLabel('Select P1 ' + tag).check();
      await page.getByLabel('Select P2 ' + tag).check();
      await page.getByRole('button', { name: 'Deactivate selected…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Deactivate 2 people?' });
      await expect(dialog.getByText('2 people will no longer be able to sign in.')).toBeVisible();
      await expect(dialog.getByText('Their groups, their ')).toBeVisible();
      await expectAccessible(page);
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      await expect(dialog.getByText('2 people are deactivated.')).toBeVisible();
      await dialog.getByRole('button', { name: 'Close' }).click();

      await filters.getByLabel('State').selectOption({ label: 'Deactivated' });
      await expect(list.locator('tbody tr')).toHaveCount(2);
      await filters.getByLabel('Role', { exact: true }).selectOption({ label: 'Trainer' });
      await expect(page.getByText('Nobody matches.')).toBeVisible();
      expect((await api.get(`/api/v1/users/${made[1]!.id}`)).status).toBe('deactivated');
      expect((await api.get(`/api/v1/users/${made[0]!.id}`)).status).toBe('active');
      await expectAccessible(page);
    });
  });
}
