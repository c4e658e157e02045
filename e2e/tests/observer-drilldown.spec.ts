import { expect, test, type Page } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';

// The drill-down story on the demo data: Manon observes France, whose subgroups are Paris and Lyon. She compares
// them, drills into Paris, filters France's learners by Lyon, and is listed in Paris's team "via France".
// Read-only on the seed, so it can share a server with the other specs.
const observer = { email: 'observer1@demo.covey.test', name: 'Manon Manager' };
const parisLearner = 'Léa Martin'; // learner1
const lyonLearner = 'Hugo Bernard'; // learner2

let france = '';
let paris = '';
let lyon = '';

test.beforeAll(async ({ request }) => {
  const manon = await apiAs(request, observer.email);
  const mine = await manon.get('/api/v1/me/groups?limit=100');
  france = mine.items.find((g: { name: string }) => g.name === 'France').id;
  const children = await manon.get(`/api/v1/groups?parentId=${france}&limit=100`);
  const byName = (name: string) => children.items.find((g: { name: string }) => g.name === name).id;
  paris = byName('Paris');
  lyon = byName('Lyon');
});

/** The headline "Learners" figure of the group on screen. */
const learnersFigure = (page: Page) =>
  page
    .locator('.stat-card')
    .filter({ has: page.getByRole('term').filter({ hasText: /^Learners$/ }) })
    .locator('.stat-value');

test('an observer of France compares Paris and Lyon, drills into Paris and filters by Lyon', async ({ page }) => {
  await signIn(page, observer.email);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up dashboard' })).toBeVisible();

  // The picker offers the observed group and everything below it, each read as its path.
  const picker = page.getByLabel('Group', { exact: true });
  await expect(picker).toHaveValue(france);
  // (Other specs, running alongside, add their own groups under France: only France's subtree may appear.)
  await expect(picker.getByRole('option').filter({ hasText: /^France( › (Lyon|Paris))?$/ })).toHaveText([
    'France',
    'France › Lyon',
    'France › Paris',
  ]);
  for (const option of await picker.getByRole('option').allTextContents()) expect(option).toMatch(/^France( › |$)/);

  // Paris and Lyon side by side, with France as a whole for reference.
  const subgroups = page.getByRole('table', { name: 'Subgroups of France' });
  await expect(subgroups.getByRole('rowheader').filter({ hasText: /^(Lyon|Paris|All of France)$/ })).toHaveText([
    'Lyon',
    'Paris',
    'All of France',
  ]);
  await expect(subgroups.getByRole('rowheader').last()).toHaveText('All of France');
  const parisRow = subgroups.getByRole('row').filter({ has: page.getByRole('link', { name: 'Paris' }) });
  const lyonRow = subgroups.getByRole('row').filter({ has: page.getByRole('link', { name: 'Lyon' }) });
  // Each row loads its own figures; wait for them before reading.
  await expect(parisRow.getByRole('cell').first()).toHaveText(/^\d+$/);
  await expect(lyonRow.getByRole('cell').first()).toHaveText(/^\d+$/);
  const parisCount = Number(await parisRow.getByRole('cell').first().textContent());
  const lyonCount = Number(await lyonRow.getByRole('cell').first().textContent());
  expect(parisCount).toBeGreaterThan(0);
  expect(lyonCount).toBeGreaterThan(0);
  const franceCount = Number(await learnersFigure(page).textContent());
  expect(franceCount).toBeGreaterThanOrEqual(parisCount + lyonCount);
  await expect(subgroups.getByRole('row').last().getByRole('cell').first()).toHaveText(String(franceCount));

  // France's learners come from both cities, with the Group column saying which.
  const learners = page.getByRole('table', { name: 'Learners' });
  await expect(learners.getByRole('columnheader', { name: 'Group' })).toBeVisible();
  await expect(learners.getByRole('row').filter({ hasText: parisLearner })).toContainText('Paris');
  await expect(learners.getByRole('row').filter({ hasText: lyonLearner })).toContainText('Lyon');
  await expectAccessible(page);
  await saveScreenshot(page, 'dashboard-drilldown');

  // Drill into Paris: the URL, the picker, the breadcrumb and the figures follow.
  await parisRow.getByRole('link', { name: 'Paris' }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard\\?group=${paris}$`));
  await expect(picker).toHaveValue(paris);
  const breadcrumb = page.getByRole('navigation', { name: 'Group path' });
  await expect(breadcrumb.getByRole('link', { name: 'France' })).toBeVisible();
  await expect(learnersFigure(page)).toHaveText(String(parisCount));
  await expect(page.getByRole('table', { name: /^Subgroups of/ })).toHaveCount(0);

  // Only Paris learners, each marked Paris.
  await expect(learners.getByRole('rowheader', { name: new RegExp(parisLearner) })).toBeVisible();
  await expect(learners.getByRole('rowheader', { name: new RegExp(lyonLearner) })).toHaveCount(0);
  await expect(learners.getByRole('row')).toHaveCount(parisCount + 1);
  for (const row of await learners
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader') })
    .all()) {
    await expect(row).toContainText('Paris');
  }
  await expectAccessible(page);

  // Back up to France through the breadcrumb, then narrow its learners to Lyon.
  await breadcrumb.getByRole('link', { name: 'France' }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard\\?group=${france}$`));
  await expect(learnersFigure(page)).toHaveText(String(franceCount));
  await page.getByLabel('Subgroup', { exact: true }).selectOption({ label: 'Lyon' });
  await expect(learners.getByRole('rowheader', { name: new RegExp(lyonLearner) })).toBeVisible();
  await expect(learners.getByRole('rowheader', { name: new RegExp(parisLearner) })).toHaveCount(0);
  await expect(learners.getByRole('row')).toHaveCount(lyonCount + 1);
  await expect(learners.getByRole('row').filter({ hasText: lyonLearner })).toContainText('Lyon');

  // The export follows the filter: it reads Lyon's own list.
  const csvRequest = page.waitForRequest((r) => r.url().includes(`/api/v1/groups/${lyon}/stats/learners`));
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  expect((await csvRequest).headers()['accept']).toContain('text/csv');
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await expectAccessible(page);
});

test('Paris lists France’s observer in its team, marked via France', async ({ page }) => {
  await signIn(page, observer.email);
  await page.goto(`/groups/${paris}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Paris' })).toBeVisible();
  const team = page.getByRole('list', { name: 'Team' });
  await expect(team.getByRole('listitem').filter({ hasText: observer.name })).toContainText('via France');
  await expectAccessible(page);
});

test('a Paris learner sees France’s observer in My team, via France', async ({ page }) => {
  await signIn(page, 'learner1@demo.covey.test');
  const team = page.getByRole('list', { name: 'My team' });
  await expect(team.getByRole('listitem').filter({ hasText: observer.name })).toContainText('Paris (via France)');
  await expectAccessible(page);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });

  test('the observer’s dashboard keeps each learner’s progress on screen, without sideways scrolling', async ({
    page,
  }) => {
    await signIn(page, observer.email);
    await page.goto(`/dashboard?group=${paris}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Follow-up dashboard' })).toBeVisible();
    const learners = page.getByRole('table', { name: 'Learners' });
    const row = learners
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: new RegExp(parisLearner) }) });

    // The key columns: who, and how far along; the rest is in the export and on a wider screen.
    await expect(learners.getByRole('columnheader', { name: 'Progress' })).toBeVisible();
    await expect(learners.getByRole('columnheader', { name: 'Last sign-in' })).toBeHidden();
    const progress = row.getByRole('progressbar', { name: new RegExp(parisLearner) });
    await expect(progress).toBeVisible();
    await progress.scrollIntoViewIfNeeded();
    await expect(progress).toBeInViewport({ ratio: 1 });
    const scroller = page.locator('.table-scroll').filter({ has: learners });
    expect(await scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect(page.locator('html')).toHaveJSProperty('scrollWidth', 375);

    await expectAccessible(page);
    await saveScreenshot(page, 'dashboard-phone');
  });
});
