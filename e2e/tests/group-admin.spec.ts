import { expect, test, type Page } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { solidPng } from './support/png.ts';

// One story: what the first test builds in Belgium (a member, a subgroup, a program) the next ones rely on.
test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const groupAdmin = 'observer2@demo.covey.test'; // admin and observer of Belgium, learner in Managers
const newcomer = { email: `gina.${run}@e2e.covey.test`, firstName: 'Gina', lastName: 'Peeters' };
const newcomerName = `${newcomer.firstName} ${newcomer.lastName}`;
const programTitle = `Belgian store basics ${run}`;
const subgroupName = `Brussels ${run}`;
const welcome = `Welkom, bienvenue, welcome to the Belgian team (${run})!`;
let managersId = '';

test.beforeAll(async ({ request }) => {
  const admin = await apiAs(request, 'admin@demo.covey.test');
  // Someone from outside Belgium, whom the group admin can only name by e-mail.
  await admin.post('/api/v1/users', { ...newcomer, password: 'e2e-password-123' });
  await admin.post('/api/v1/programs', {
    title: programTitle,
    description: 'What every Belgian store colleague needs on day one.',
    status: 'published',
    steps: [{ title: 'Opening the store', content: 'Keys, alarm, lights.' }],
  });
  managersId = (await admin.get('/api/v1/groups?q=Managers')).items[0].id as string;
});

async function openBelgium(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Groups I manage' }).click();
  await nav.getByRole('list', { name: 'Groups I manage' }).getByRole('link', { name: 'Belgium' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Belgium' })).toBeVisible();
}

test('a group admin brands Belgium, adds a newcomer by e-mail, creates a subgroup and assigns a program', async ({
  page,
}) => {
  await signIn(page, groupAdmin);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Administration' })).toHaveCount(0);
  await openBelgium(page);
  // The workspace-wide tabs (programs catalogue, users, import, integrations, mailbox) are not there.
  await expect(page.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);
  await expect(page.getByLabel('Find people to add')).toHaveCount(0);
  await expectAccessible(page);

  // Branding, with the live preview.
  const preview = page.getByRole('region', { name: 'Preview' });
  await page.getByLabel('Welcome message').fill(welcome);
  await page.getByLabel('Main colour').fill('#0b5d1e');
  await expect(preview.getByText(welcome)).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await page.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: solidPng(64, 64, [11, 93, 30]) });
  await expect(page.getByText('Image saved.')).toBeVisible();
  await expect(preview.locator('img.group-logo')).toBeVisible();
  await page.getByRole('button', { name: 'Remove logo' }).click();
  await expect(page.getByText('Image removed.')).toBeVisible();
  await expect(preview.locator('img.group-logo')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove logo' })).toHaveCount(0);

  // A member named by exact e-mail: nothing about a person shows before they are in.
  const reference = page.getByLabel('E-mail or external id');
  await reference.fill(`nobody.${run}@e2e.covey.test`);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText('No person with this e-mail or external id can be added.')).toBeVisible();
  await reference.fill(newcomer.email);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText(`${newcomer.email} added (Member).`)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: `Member: ${newcomerName}` })).toBeChecked();

  // A published program, after the dry run says who gets enrolled.
  const programs = page.getByRole('list', { name: 'Programs' });
  await expect(programs.getByRole('listitem').filter({ hasText: 'Welcome to Acme' })).toContainText('Inherited from Acme');
  await expect(programs.getByRole('button', { name: 'Unassign Welcome to Acme' })).toHaveCount(0);
  await expect(page.getByLabel('Assign a program').getByRole('option', { name: 'Negotiation (draft)' })).toHaveCount(0);
  await page.getByLabel('Assign a program').selectOption({ label: programTitle });
  await page.getByRole('button', { name: 'Preview enrollment' }).click();
  const dryRun = page.getByRole('region', { name: 'Enrollment preview' });
  await expect(dryRun.getByText(/^\d+ learners? will be enrolled\.$/)).toBeVisible();
  await expect(dryRun.getByText(newcomerName)).toBeVisible();
  await expectAccessible(page);
  await saveScreenshot(page, 'group-admin');
  await dryRun.getByRole('button', { name: 'Confirm assignment' }).click();
  await expect(programs.getByRole('listitem').filter({ hasText: programTitle })).toBeVisible();
  await expect(programs.getByRole('button', { name: `Unassign ${programTitle}` })).toBeVisible();

  // A subgroup, created under Belgium.
  await page.getByRole('link', { name: 'Add subgroup (Belgium)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New group' })).toBeVisible();
  const parent = page.getByLabel('Parent group', { exact: true });
  await expect(parent).toHaveValue(new URL(page.url()).searchParams.get('parentId') ?? '');
  // The searching picker lists the groups they see; only the ones they manage may be the parent (not Managers).
  await page.getByLabel('Parent group: find by name').fill('Managers');
  await expect(parent.getByRole('option', { name: 'Managers' })).toHaveCount(0);
  await page.getByLabel('Parent group: find by name').fill('');
  await expect(parent).toHaveValue(new URL(page.url()).searchParams.get('parentId') ?? '');
  await page.getByLabel('Group name').fill(subgroupName);
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${subgroupName}` })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Programs' }).getByRole('listitem').filter({ hasText: programTitle })).toContainText(
    'Inherited from Belgium',
  );
  await openBelgium(page);
  await expect(page.getByRole('list', { name: 'Subgroups' }).getByRole('link', { name: subgroupName })).toBeVisible();
});

test('removing a member says what it will do, then what it did', async ({ page }) => {
  await signIn(page, groupAdmin);
  await openBelgium(page);
  await page.getByRole('button', { name: `Remove ${newcomerName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${newcomerName} from Belgium?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(`${newcomerName} will leave Belgium.`)).toBeVisible();
  // Welcome to Acme (inherited) and the program assigned above, neither started.
  await expect(dialog.getByText('2 enrollments not started will be withdrawn.')).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(dialog.getByText(`${newcomerName} removed from Belgium; 2 enrollments withdrawn.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: `Member: ${newcomerName}` })).toHaveCount(0);
});

test('a group admin renames and moves subgroups; unassigning and deleting say what they do first', async ({
  page,
  request,
}) => {
  // A second subgroup of Belgium, to move under the first one.
  const asGroupAdmin = await apiAs(request, groupAdmin);
  const belgium = (await asGroupAdmin.get('/api/v1/groups?q=Belgium')).items[0];
  const nestedName = `Ixelles ${run}`;
  const renamed = `Bruxelles ${run}`;
  await asGroupAdmin.post('/api/v1/groups', { name: nestedName, parentId: belgium.id });

  await signIn(page, groupAdmin);
  await openBelgium(page);
  await page.getByRole('button', { name: `Unassign ${programTitle}` }).click();
  let dialog = page.getByRole('dialog', { name: `Unassign ${programTitle}?` });
  await expect(dialog.getByText(`${programTitle} will no longer be assigned to Belgium and its subgroups.`)).toBeVisible();
  await expect(dialog.getByText(/^(\d+ enrollments|1 enrollment) not started will be withdrawn\.$/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Unassign', exact: true }).click();
  await expect(dialog.getByText(new RegExp(`^${programTitle} unassigned; \\d+ enrollments? withdrawn\\.$`))).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('list', { name: 'Programs' }).getByText(programTitle)).toHaveCount(0);

  const subgroups = page.getByRole('list', { name: 'Subgroups' });
  await subgroups.getByRole('button', { name: `Rename ${subgroupName}` }).click();
  await page.getByLabel(`New name for ${subgroupName}`).fill(renamed);
  await subgroups.getByRole('button', { name: 'Save' }).click();
  await expect(subgroups.getByRole('link', { name: renamed })).toBeVisible();
  await page.getByLabel(`Move ${nestedName} under`, { exact: true }).selectOption({ label: renamed });
  await subgroups.getByRole('button', { name: `Move ${nestedName}` }).click();
  await expect(subgroups.getByRole('link', { name: nestedName })).toHaveCount(0);
  const renamedRow = subgroups.getByRole('listitem').filter({ has: page.getByRole('link', { name: renamed }) });
  await expect(renamedRow).toContainText('1 subgroup');

  await subgroups.getByRole('button', { name: `Delete ${renamed}` }).click();
  dialog = page.getByRole('dialog', { name: `Delete ${renamed}?` });
  await expect(
    dialog.getByText(`${renamed} has 1 subgroup: it cannot be deleted until that subgroup is moved or deleted.`),
  ).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Delete group' })).toHaveCount(0);
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The nested group goes first, from its own editor, which then hands back to its parent's.
  await subgroups.getByRole('link', { name: renamed }).click();
  await page.getByRole('list', { name: 'Subgroups' }).getByRole('link', { name: nestedName }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${nestedName}` })).toBeVisible();
  await page.getByRole('button', { name: 'Delete group…' }).click();
  dialog = page.getByRole('dialog', { name: `Delete ${nestedName}?` });
  await expect(dialog.getByText(`${nestedName} will be deleted. It has no members.`)).toBeVisible();
  await expect(dialog.getByText('No enrollment will be withdrawn.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete group' }).click();
  await expect(dialog.getByText(`${nestedName} deleted.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${renamed}` })).toBeVisible();
  await expect(page.getByText('No subgroup yet.')).toBeVisible();
});

test('a group admin reaches only the groups they manage, never the workspace screens', async ({ page }) => {
  await signIn(page, groupAdmin);
  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expectAccessible(page);
  // Managers is a group they learn in, not one they manage.
  await page.goto(`/admin/groups/${managersId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Group not found' })).toBeVisible();
  await page.goto('/admin/groups');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});

test('a workspace admin deactivating someone is told what it ends and what it keeps', async ({ page, request }) => {
  // A session of the newcomer's own, which deactivating ends.
  await apiAs(request, newcomer.email, 'e2e-password-123');
  await signIn(page, 'admin@demo.covey.test');
  await page.goto('/admin/users');
  await page.getByLabel('Search').fill(newcomer.email);
  const row = page.getByRole('row', { name: new RegExp(newcomerName) });
  await row.getByRole('button', { name: `Deactivate ${newcomer.email}` }).click();
  const dialog = page.getByRole('dialog', { name: `Deactivate ${newcomerName}?` });
  await expect(dialog.getByText(`${newcomerName} will be signed out of 1 session and can no longer sign in.`)).toBeVisible();
  await expect(dialog.getByText('Their history is kept.')).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await expect(dialog.getByText(`${newcomerName} is deactivated and was signed out of 1 session.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(row.getByRole('cell', { name: 'Deactivated' })).toBeVisible();
  const refused = await request.post('/api/v1/auth/login', { data: { email: newcomer.email, password: 'e2e-password-123' } });
  expect(refused.ok()).toBe(false);
});
