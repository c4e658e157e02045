import { expect, test } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { solidPng } from './support/png.ts';

// One story across roles, so the tests share what the first one builds and run in order.
test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const password = 'e2e-password-123';
const people = {
  admin: 'admin@demo.covey.test',
  learner: { email: `ana.${run}@e2e.covey.test`, firstName: 'Ana', lastName: 'Lopez' },
  observer: { email: `omar.${run}@e2e.covey.test`, firstName: 'Omar', lastName: 'Diallo' },
  outsider: { email: `otto.${run}@e2e.covey.test`, firstName: 'Otto', lastName: 'Keller' },
};
const groupName = `Lyon Retail ${run}`;
const programTitle = `Store onboarding ${run}`;
const welcome = 'Bienvenue to the Lyon retail team: start with the onboarding program!';
let groupId = '';

test.beforeAll(async ({ request }) => {
  const admin = await apiAs(request, people.admin);
  const managers = await admin.get('/api/v1/groups?q=Managers');
  const otherGroup = managers.items[0].id as string;
  await admin.post('/api/v1/users', { ...people.learner, password });
  await admin.post('/api/v1/users', { ...people.observer, role: 'trainer', password });
  // The outsider belongs to another group only.
  await admin.post('/api/v1/users', { ...people.outsider, password, groups: [{ group: otherGroup, role: 'learner' }] });
  await admin.post('/api/v1/programs', {
    title: programTitle,
    description: 'Two short steps before your first day in store.',
    status: 'published',
    steps: [
      { title: 'Meet your team', content: 'Say hello in the group space.' },
      { title: 'Read the store handbook', content: 'Twenty minutes, tops.' },
    ],
  });
});

test('an admin creates a branded group, adds a member and an observer, and assigns a program', async ({ page }) => {
  await signIn(page, people.admin);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Group tree' }).getByRole('link', { name: 'Acme', exact: true })).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-groups');

  await page.getByRole('link', { name: 'New group' }).click();
  await page.getByLabel('Group name').fill(groupName);
  await page.getByLabel('Description').fill('Store staff in Lyon');
  await page.getByLabel('Welcome message').fill(welcome);
  await page.getByLabel('Main colour').fill('#7a1f3d');
  await page.getByLabel('Accent colour').fill('#f2a900');
  await expect(page.getByRole('region', { name: 'Preview' }).getByText(welcome)).toBeVisible();
  await page.getByRole('button', { name: 'Create group' }).click();

  await expect(page.getByRole('heading', { level: 1, name: `Edit ${groupName}` })).toBeVisible();
  groupId = new URL(page.url()).pathname.split('/').pop() ?? '';
  expect(groupId).toMatch(/^[0-9a-f-]{36}$/);

  await page.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: solidPng(64, 64, [242, 169, 0]) });
  await expect(page.getByText('Image saved.').first()).toBeVisible();
  await page
    .getByLabel('Background image', { exact: true })
    .setInputFiles({ name: 'background.png', mimeType: 'image/png', buffer: solidPng(320, 80, [122, 31, 61]) });
  await expect(page.getByText('Image saved.')).toHaveCount(2);

  const search = page.getByLabel('Find people to add');
  await search.fill(people.learner.email);
  await page.getByRole('button', { name: `Add as member ${people.learner.email}` }).click();
  await search.fill(people.observer.email);
  await page.getByRole('button', { name: `Add as observer ${people.observer.email}` }).click();
  const learnerName = `${people.learner.firstName} ${people.learner.lastName}`;
  const observerName = `${people.observer.firstName} ${people.observer.lastName}`;
  await expect(page.getByRole('checkbox', { name: `Member: ${learnerName}` })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: `Observer: ${observerName}` })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: `Member: ${observerName}` })).not.toBeChecked();

  await page.getByLabel('Assign a program').selectOption({ label: programTitle });
  await page.getByRole('button', { name: 'Preview enrollment' }).click();
  const preview = page.getByRole('region', { name: 'Enrollment preview' });
  await expect(preview.getByText('1 learner will be enrolled.')).toBeVisible();
  await expect(preview.getByText(learnerName)).toBeVisible();
  await search.fill('');
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-group-editor');
  await preview.getByRole('button', { name: 'Confirm assignment' }).click();
  await expect(page.getByRole('list', { name: 'Programs' }).getByRole('link', { name: programTitle })).toBeVisible();
});

test('a learner finds the group, posts in its space and completes a step', async ({ page }) => {
  await signIn(page, people.learner.email, password);
  const myGroups = page.getByRole('list', { name: 'My groups' });
  await expect(myGroups.getByRole('link', { name: new RegExp(groupName) })).toBeVisible();
  await expect(page.getByRole('list', { name: 'My programs' }).getByRole('link', { name: programTitle })).toBeVisible();
  await page.getByLabel('Share something with everyone').fill('First day in the _Lyon_ store tomorrow!');
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('article').filter({ hasText: 'First day in the Lyon store' })).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'learner-home');
  // On a phone the right-hand column stacks under the feed and stays usable.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(myGroups.getByRole('link', { name: new RegExp(groupName) })).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'learner-home-phone');
  await page.setViewportSize({ width: 1280, height: 720 });

  await myGroups.getByRole('link', { name: new RegExp(groupName) }).click();
  await expect(page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  await expect(page.getByText(welcome)).toBeVisible();
  await expect(page.getByRole('img', { name: `${groupName} logo` })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Team' })).toContainText(people.observer.lastName);

  await page.getByLabel('Post to the group').fill('Hello **team**, happy to be here!');
  await page.getByRole('button', { name: 'Publish' }).click();
  const post = page.getByRole('article').filter({ hasText: 'happy to be here' });
  await expect(post).toBeVisible();
  await expect(post.locator('strong')).toHaveText('team'); // Markdown rendered by the API
  await post.getByRole('button', { name: /^Like/ }).click();
  await expect(post.getByRole('button', { name: /^Like/ })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(page);
  await saveScreenshot(page, 'group-space');

  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByRole('list', { name: 'My programs' }).getByRole('link', { name: programTitle }).click();
  await expect(page.getByRole('heading', { level: 1, name: programTitle })).toBeVisible();
  await page.getByRole('button', { name: 'Mark "Meet your team" as done' }).click();
  await expect(page.getByRole('progressbar', { name: `${programTitle} progress` })).toHaveAttribute('value', '50');
  await expect(page.getByRole('button', { name: 'Mark "Meet your team" as done' })).toHaveCount(0);
  await expectAccessible(page);
  await saveScreenshot(page, 'program');
});

test('the observer is notified of the learner’s post', async ({ page }) => {
  await signIn(page, people.observer.email, password);
  const bell = page.getByRole('link', { name: /^Notifications/ });
  // Notifications may be written by a background job: reload until the bell shows it.
  await expect(async () => {
    await page.reload();
    await expect(bell).toHaveAccessibleName('Notifications: 1 unread', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('bell-count')).toHaveText('1');

  await bell.click();
  const item = page.getByRole('link', { name: `${people.learner.firstName} ${people.learner.lastName} posted in ${groupName}` });
  await expect(item).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'notifications');

  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(bell).toHaveAccessibleName('Notifications');
  await expect(page.getByTestId('bell-count')).toHaveCount(0);
});

test('a learner of another group cannot reach the group’s page', async ({ page }) => {
  await signIn(page, people.outsider.email, password);
  await expect(page.getByRole('list', { name: 'My groups' }).getByRole('link', { name: new RegExp(groupName) })).toHaveCount(0);
  await page.goto(`/groups/${groupId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Group not found' })).toBeVisible();
  await expect(page.getByText(welcome)).toHaveCount(0);
  await expectAccessible(page);

  // The same screen in French; the choice survives a reload.
  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Groupe introuvable' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Retour à l’accueil' })).toBeVisible();
  await expectAccessible(page);
});
