import { expect, test } from '@playwright/test';
import { OIDC_NAME } from './support/oidc-provider.ts';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { screenSizes } from './support/sizes.ts';

const admin = 'admin@demo.covey.test';

for (const size of screenSizes) {
  test.describe(`rules and settings (${size.name})`, () => {
    test.use({ viewport: size.viewport });
    test.slow();

    test('a membership rule is previewed (who joins, who leaves) before it is created, changed and deleted', async ({
      page,
      request,
    }) => {
      const tag = `R${size.name}${Date.now().toString(36)}`;
      const api = await apiAs(request, admin);
      const group = await api.post('/api/v1/groups', { name: `Rules ${tag}` });
      for (const [firstName, country] of [
        ['Ana', 'FR'],
        ['Bo', 'BE'],
      ] as const) {
        await api.post('/api/v1/users', {
          email: `${firstName.toLowerCase()}.${tag.toLowerCase()}@e2e.covey.test`,
          firstName,
          lastName: tag,
          department: `Dept ${tag}`,
          country,
          invite: false,
        });
      }

      await signIn(page, admin);
      await page.goto('/admin/rules');
      await expect(page.getByRole('heading', { level: 1, name: 'Membership rules' })).toBeVisible();
      // The group is found by typing its name (the picker asks the API as one types).
      await page.getByLabel('Rules of the group: find by name').fill(tag);
      await expect(page.getByLabel('Rules of the group', { exact: true }).getByRole('option')).toHaveText([
        'Choose a group',
        group.name,
      ]);
      await page.getByLabel('Rules of the group', { exact: true }).selectOption({ label: group.name });
      await expect(page.getByText('This group has no rule.')).toBeVisible();
      await page.getByRole('button', { name: 'New rule' }).click();
      await page.getByLabel('Name (optional)').fill(`Team ${tag}`);
      await page.getByLabel('Profile field 1').fill('department');
      await page.getByLabel('Value 1').fill(`dept ${tag}`);
      // Saving waits for the dry run of these very conditions.
      await expect(page.getByRole('button', { name: 'Create rule' })).toBeDisabled();
      await page.getByRole('button', { name: 'Preview who joins and leaves' }).click();
      const diff = page.getByRole('region', { name: 'Who joins and who leaves' });
      await expect(diff.getByText('2 people join. Nobody leaves.')).toBeVisible();
      await expect(diff.getByRole('list', { name: 'Joining' }).getByRole('listitem')).toHaveCount(2);
      await expectAccessible(page);
      await saveScreenshot(page, `admin-rules-${size.name}`);
      await expect(page.locator('html')).toHaveJSProperty('scrollWidth', size.viewport.width);
      await page.getByRole('button', { name: 'Create rule' }).click();
      const rules = page.getByRole('list', { name: 'Rules' });
      await expect(rules.getByText('2 learners are in the group through this rule.')).toBeVisible();

      // A second condition: Bo (in Belgium) would leave.
      await rules.getByRole('button', { name: `Edit Team ${tag}` }).click();
      await page.getByRole('button', { name: 'Add a condition' }).click();
      await page.getByLabel('Profile field 2').fill('country');
      await page.getByLabel('Value 2').fill('FR');
      await expect(page.getByRole('button', { name: 'Save rule' })).toBeDisabled();
      await page.getByRole('button', { name: 'Preview who joins and leaves' }).click();
      await expect(diff.getByText('Nobody joins. 1 person leaves.')).toBeVisible();
      await expect(diff.getByRole('list', { name: 'Leaving' })).toContainText('Bo');
      await page.getByRole('button', { name: 'Save rule' }).click();
      await expect(rules.getByText('1 learner is in the group through this rule.')).toBeVisible();
      await expect.poll(async () => (await api.get(`/api/v1/groups/${group.id}/members`)).items.length).toBe(1);

      await rules.getByRole('button', { name: `Delete Team ${tag}` }).click();
      const dialog = page.getByRole('dialog', { name: `Delete the rule Team ${tag}?` });
      await expect(dialog.getByText(/The 1 learner it put in the group leaves it/)).toBeVisible();
      await expectAccessible(page);
      await dialog.getByRole('button', { name: 'Delete rule' }).click();
      await expect(dialog.getByText(`Rule Team ${tag} deleted.`)).toBeVisible();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(page.getByText('This group has no rule.')).toBeVisible();
    });

    test('the settings page holds the follow-up settings and shows the address and sign-in methods', async ({
      page,
    }) => {
      await signIn(page, admin);
      await page.goto('/admin');
      await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Settings' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Copy Public URL' })).toBeVisible();
      await expect(page.getByText('http://127.0.0.1:3100')).toBeVisible();
      await expect(page.getByText('On: people may sign in with a password')).toBeVisible();
      await expect(page.getByText(`On: “${OIDC_NAME}”`)).toBeVisible();
      await expectAccessible(page);
      await saveScreenshot(page, `admin-settings-${size.name}`);
      await expect(page.locator('html')).toHaveJSProperty('scrollWidth', size.viewport.width);
      const days = page.getByLabel('Inactive after (days without signing in)');
      const before = await days.inputValue();
      await days.fill('21');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('Settings saved.')).toBeVisible();
      await page.reload();
      await expect(page.getByLabel('Inactive after (days without signing in)')).toHaveValue('21');
      await page.getByLabel('Inactive after (days without signing in)').fill(before);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('Settings saved.')).toBeVisible();
      // The integrations page no longer holds them.
      await page
        .getByRole('navigation', { name: 'Administration' })
        .getByRole('link', { name: 'Integrations' })
        .click();
      await expect(page.getByRole('heading', { level: 1, name: 'Integrations' })).toBeVisible();
      await expect(page.getByText('Follow-up settings')).toHaveCount(0);
    });
  });
}

test('the group picker reaches a group past the first hundred by searching its name', async ({ page, request }) => {
  test.slow();
  // Named to sort after every other group (the list goes by name), so that only a search reaches the last one.
  const tag = `Zz picker ${Date.now().toString(36)}`;
  const api = await apiAs(request, admin);
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post('/api/v1/groups', { name: `${tag} ${String(batch * 10 + i).padStart(3, '0')}` }),
      ),
    );
  }
  const target = `${tag} target`;
  await api.post('/api/v1/groups', { name: target });

  await signIn(page, admin);
  await page.goto('/admin/rules');
  const picker = page.getByLabel('Rules of the group', { exact: true });
  await expect(picker.getByRole('option', { name: `${tag} 000` })).toBeAttached();
  await expect(picker.getByRole('option', { name: target })).toHaveCount(0);
  await expect(page.getByText('More groups match: type more of the name to narrow the list.')).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Rules of the group: find by name').fill(`${tag} targ`);
  await expect(picker.getByRole('option')).toHaveText(['Choose a group', target]);
  await expect(page.getByText('More groups match')).toHaveCount(0);
  await picker.selectOption({ label: target });
  await expect(page.getByText('This group has no rule.')).toBeVisible();
  // The choice stays while another search runs.
  await page.getByLabel('Rules of the group: find by name').fill(`${tag} 00`);
  await expect(picker).toHaveValue(/^[0-9a-f-]{36}$/);
  await expect(picker.locator('option:checked')).toHaveText(target);
  await expectAccessible(page);

  // The same picker places a new group under it, and names it as the parent when the group is edited again.
  await page.goto('/admin/groups/new');
  await page.getByLabel('Group name').fill(`${tag} child`);
  await page.getByLabel('Parent group: find by name').fill(`${tag} targ`);
  const parent = page.getByLabel('Parent group', { exact: true });
  await expect(parent.getByRole('option')).toHaveText(['None (top level)', target]);
  await parent.selectOption({ label: target });
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${tag} child` })).toBeVisible();
  const targetId = (await api.get(`/api/v1/groups?q=${encodeURIComponent(target)}`)).items[0].id;
  const child = (await api.get(`/api/v1/groups?q=${encodeURIComponent(`${tag} child`)}`)).items[0];
  expect(child.parentId).toBe(targetId);
  await page.reload();
  await expect(page.getByLabel('Parent group', { exact: true })).toHaveValue(targetId);
  await expect(page.getByLabel('Parent group', { exact: true }).locator('option:checked')).toHaveText(target);
  await expectAccessible(page);
});
