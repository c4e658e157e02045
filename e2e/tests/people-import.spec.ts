import { expect, test, type Page } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';

// An admin imports people from a CSV file: the template, the dry run row by row, then the valid rows in the
// background with a progress bar and the results. At desktop and phone sizes, each screen checked with axe.
const run = `${Date.now().toString(36)}p`;
const admin = 'admin@demo.covey.test';
// One person already there per journey, whom the file renames.
const existing = { desktop: `eva.${run}@e2e.covey.test`, phone: `eve.${run}@e2e.covey.test` };
test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  const api = await apiAs(request, admin);
  const lyon = await api.post('/api/v1/groups', { name: `Lyon ${run}`, externalId: `lyon-${run}` });
  await api.post('/api/v1/groups', { name: 'Part-Dieu', parentId: lyon.id });
  for (const email of Object.values(existing)) await api.post('/api/v1/users', { email, firstName: 'Eva', lastName: 'Old', invite: false });
});

const file = (tag: string, person: string) =>
  Buffer.from(
    [
      'email,externalId,firstName,lastName,role,groups',
      `nina.${tag}@e2e.covey.test,HR-${tag},Nina,Morel,learner,Lyon ${run}/Part-Dieu|ext:lyon-${run}:observer`,
      `${person},,Eva,Newname,,`,
      `not-an-email,,Bad,Row,,`,
      `omar.${tag}@e2e.covey.test,,Omar,Haddad,,Lyon ${run}/Nowhere`,
    ].join('\n'),
  );

async function openImport(page: Page) {
  await signIn(page, admin);
  await page.goto('/admin/users/import');
  await expect(page.getByRole('heading', { level: 1, name: 'Import people' })).toBeVisible();
}

test('dry run, then the valid rows imported in the background (desktop)', async ({ page }) => {
  await openImport(page);
  await expectAccessible(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the template' }).click();
  expect((await download).suggestedFilename()).toBe('people-template.csv');

  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: file(`${run}d`, existing.desktop) });
  await expect(page.getByRole('heading', { name: 'What the import will do' })).toBeVisible();
  await expect(page.getByText('people.csv: 4 row(s)')).toBeVisible();
  const plan = page.getByRole('table', { name: 'Row by row, before importing' });
  await expect(plan.getByRole('row', { name: /^2 / })).toContainText('To create');
  await expect(plan.getByRole('row', { name: /^3 / })).toContainText('last name');
  await expect(plan.getByRole('row', { name: /^4 / })).toContainText('The e-mail address is not valid.');
  await expect(plan.getByRole('row', { name: /^5 / })).toContainText('A group of this row does not exist.');
  await expectAccessible(page);

  await page.getByLabel('Only refused rows').check();
  await expect(plan.getByRole('row')).toHaveCount(3);
  await page.getByLabel('Only refused rows').uncheck();

  await page.getByLabel('Send new people an invitation e-mail').uncheck();
  await page.getByRole('button', { name: 'Import 2 valid rows' }).click();
  await expect(page.getByText('Import finished: 4 rows processed.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('value', '100');
  const results = page.getByRole('table', { name: 'Row by row, as imported' });
  await expect(results.getByRole('row', { name: /^2 / })).toContainText('Created');
  await expect(results.getByRole('row', { name: /^3 / })).toContainText('Updated');
  await expect(results.getByRole('row', { name: /^4 / })).toContainText('Refused');
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-import');
});

test('the same journey on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openImport(page);
  await expectAccessible(page);
  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: file(`${run}m`, existing.phone) });
  await expect(page.getByRole('table', { name: 'Row by row, before importing' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Import 2 valid rows' }).click();
  await expect(page.getByText('Import finished: 4 rows processed.')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page);
});
