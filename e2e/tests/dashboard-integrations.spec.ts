import { expect, test } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';

// The follow-up story: an observer finds a learner in the dashboard and reminds them; the learner is notified.
// Then the admin's integration and import screens. Serial: the later tests use what the first ones set up.
test.describe.configure({ mode: 'serial' });

const run = `${Date.now().toString(36)}d`;
const password = 'e2e-password-123';
const people = {
  admin: 'admin@demo.covey.test',
  learner: { email: `lea.${run}@e2e.covey.test`, firstName: 'Léa', lastName: 'Martin' },
  observer: { email: `olga.${run}@e2e.covey.test`, firstName: 'Olga', lastName: 'Nowak' },
  peer: { email: `paul.${run}@e2e.covey.test`, firstName: 'Paul', lastName: 'Roux' },
};
const groupName = `Bordeaux Sales ${run}`;
let groupId = '';

test.beforeAll(async ({ request }) => {
  const admin = await apiAs(request, people.admin);
  const group = await admin.post('/api/v1/groups', { name: groupName, description: 'Sales team in Bordeaux' });
  groupId = group.id;
  await admin.post('/api/v1/users', { ...people.learner, password, groups: [{ group: groupId, role: 'learner' }] });
  await admin.post('/api/v1/users', {
    ...people.observer,
    role: 'trainer',
    password,
    groups: [{ group: groupId, role: 'observer' }],
  });
  // A program assigned to the group, half done by a second learner, so the charts and numbers have something to show.
  const program = await admin.post('/api/v1/programs', {
    title: `Wine sales basics ${run}`,
    description: 'Two steps.',
    status: 'published',
    steps: [
      { title: 'Know the appellations', content: 'Read the map.' },
      { title: 'Pitch a bottle', content: 'Record a pitch.' },
    ],
  });
  await admin.post('/api/v1/users', { ...people.peer, password, groups: [{ group: groupId, role: 'learner' }] });
  await admin.put(`/api/v1/programs/${program.id}/groups/${groupId}`, {});
  const peer = await apiAs(request, people.peer.email, password);
  const detail = await peer.get(`/api/v1/programs/${program.id}`);
  await peer.post(`/api/v1/programs/${program.id}/steps/${detail.steps[0].id}/complete`, {});
});

test('the observer sees the learner in the dashboard and sends a reminder', async ({ page }) => {
  await signIn(page, people.observer.email, password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up dashboard' })).toBeVisible();
  await expect(page.getByLabel('Group')).toHaveValue(groupId);
  await expect(page.getByRole('img', { name: /^Line chart of active learners/ })).toBeVisible();

  const learnerName = `${people.learner.firstName} ${people.learner.lastName}`;
  const table = page.getByRole('table', { name: 'Learners' });
  await expect(table.getByRole('rowheader', { name: new RegExp(learnerName) })).toBeVisible();
  // Sorting by progress keeps the learner in the list and marks the column.
  await table.getByRole('button', { name: 'Progress' }).click();
  await expect(table.getByRole('columnheader', { name: /Progress/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(table.getByRole('rowheader', { name: new RegExp(learnerName) })).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'dashboard');

  // The segment filter narrows the list: a learner who never signed in is inactive.
  await page.getByLabel('Show', { exact: true }).selectOption('inactive');
  await expect(table.getByRole('rowheader', { name: new RegExp(learnerName) })).toBeVisible();

  // CSV export downloads the list.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);

  await table.getByRole('checkbox', { name: `Select ${learnerName}` }).check();
  await page.getByRole('button', { name: 'Send a reminder' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send a reminder' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /1 learner\(s\) selected/ })).toBeChecked();
  await dialog.getByLabel('Message').fill('Hi Léa, the onboarding program is waiting for you!');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.getByText('Reminder sent to 1 learner(s).')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('the learner gets the reminder, and sees stats, team and documents on the home page', async ({ page }) => {
  await signIn(page, people.learner.email, password);
  await expect(page.getByRole('heading', { name: 'My stats' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'My team' })).toContainText(people.observer.lastName);
  await expect(page.getByRole('heading', { name: 'My documents' })).toBeVisible();
  const bell = page.getByRole('link', { name: /^Notifications/ });
  await expect(async () => {
    await page.reload();
    await expect(bell).toHaveAccessibleName('Notifications: 1 unread', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page);
  await bell.click();
  await expect(
    page.getByRole('link', { name: `Reminder from ${people.observer.firstName} ${people.observer.lastName}` }),
  ).toBeVisible();
});

test('the admin manages integrations and imports memberships from a CSV file', async ({ page }) => {
  await signIn(page, people.admin);
  await page.goto('/admin/integrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Integrations' })).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill(`HR sync ${run}`);
  await page.getByRole('button', { name: 'Create client' }).click();
  const secret = page.getByRole('region', { name: new RegExp(`^Client secret of HR sync ${run}`) });
  await expect(secret).toBeVisible();
  await expect(secret.getByRole('textbox')).not.toHaveValue('');
  await expect(page.getByRole('rowheader', { name: `HR sync ${run}` })).toBeVisible();

  await page.getByLabel('URL').fill('https://hooks.example.test/covey');
  await page.getByRole('checkbox', { name: 'enrollment.completed' }).check();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByRole('region', { name: 'Signing secret for https://hooks.example.test/covey' })).toBeVisible();
  await page.getByRole('button', { name: 'Delivery log https://hooks.example.test/covey' }).click();
  await expect(page.getByText('Nothing sent yet.').or(page.getByRole('table', { name: /^Deliveries to/ }))).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-integrations');

  // Revoking a client asks first (the browser's confirmation names it); then its row says so.
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain(`HR sync ${run}`);
    void dialog.accept();
  });
  await page.getByRole('button', { name: `Revoke HR sync ${run}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(`HR sync ${run}`) }).getByText('Revoked', { exact: true })).toBeVisible();

  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Import' }).click();
  // The import itself has its own journey (people-import.spec.ts).
  await expect(page.getByRole('heading', { level: 1, name: 'Import people' })).toBeVisible();
});
