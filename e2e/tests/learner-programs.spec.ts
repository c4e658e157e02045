import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { createGroup, createPerson, createProgram, expectFitsScreen, forEachScreen, PASSWORD } from './support/learner.ts';

/** A figure of "My stats" on the home page, by its label. */
const stat = (page: Page, label: string) =>
  page.getByRole('region', { name: 'My stats' }).locator('div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');

forEachScreen((screen) => {
  test('program steps read as Markdown, and completing them refreshes stats, programs and documents at once', async ({ page, request }) => {
    const tag = `${screen.name}-${Date.now().toString(36)}`;
    const group = await createGroup(request, `Markdown ${tag}`);
    const program = await createProgram(request, `Know your customer ${tag}`, group.id, [
      { title: 'Who they are', content: '## Know your customer\n\nAsk **why** before *what*:\n\n- their goals\n- their budget\n\n<script>alert(1)</script>' },
      { title: 'Follow up', content: 'Send a [summary](https://example.com/summary) the same day.' },
    ]);
    const learner = await createPerson(request, `steps-${tag}`, [{ group: group.id, role: 'learner' }]);
    await signIn(page, learner.email, PASSWORD);
    await expect(stat(page, 'Programs completed')).toHaveText('0');
    await expect(page.getByRole('region', { name: 'My documents' })).toContainText('No document yet');

    await page.getByRole('list', { name: 'My programs' }).getByRole('link', { name: program.title }).click();
    await expect(page.getByRole('heading', { level: 1, name: program.title })).toBeVisible();
    const steps = page.getByRole('region', { name: 'Steps' });
    await expect(steps.getByRole('heading', { name: 'Know your customer' })).toBeVisible();
    await expect(steps.locator('strong')).toHaveText('why');
    await expect(steps.locator('.rich-text li').filter({ hasText: 'their budget' })).toBeVisible();
    await expect(steps.getByRole('link', { name: 'summary' })).toHaveAttribute('href', 'https://example.com/summary');
    await expect(steps).not.toContainText('##');
    await expect(steps).not.toContainText('**');
    await expect(steps).toContainText('<script>alert(1)</script>'); // shown as text, never run
    await expectAccessible(page);
    await expectFitsScreen(page);
    await saveScreenshot(page, `program-markdown-${screen.name}`);

    await page.getByRole('button', { name: 'Mark "Who they are" as done' }).click();
    await expect(page.getByRole('progressbar', { name: `${program.title} progress` })).toHaveAttribute('value', '50');
    await page.getByRole('link', { name: 'Home' }).click();
    await expect(stat(page, 'Steps done')).toHaveText('1');
    await expect(stat(page, 'Programs in progress')).toHaveText('1');

    await page.getByRole('list', { name: 'My programs' }).getByRole('link', { name: program.title }).click();
    await page.getByRole('button', { name: 'Mark "Follow up" as done' }).click();
    await expect(page.getByRole('progressbar', { name: `${program.title} progress` })).toHaveAttribute('value', '100');
    await page.getByRole('link', { name: 'Home' }).click();
    // No reload, no new sign-in: the home page asks again for what the completion changed.
    await expect(stat(page, 'Programs completed')).toHaveText('1');
    await expect(stat(page, 'Steps done')).toHaveText('2');
    const myPrograms = page.getByRole('list', { name: 'My programs' }).getByRole('listitem').filter({ hasText: program.title });
    await expect(myPrograms).toContainText('Completed');
    // The certificate is made by a background job a moment later: the list keeps asking until it is there.
    await expect(page.getByRole('region', { name: 'My documents' }).getByRole('listitem').filter({ hasText: `Certificate: ${program.title}` })).toBeVisible({
      timeout: 30_000,
    });
    await expectAccessible(page);
  });

  test('the demo’s seeded completions come with their certificates', async ({ page }) => {
    await signIn(page, 'learner1@demo.covey.test');
    const documents = page.getByRole('region', { name: 'My documents' });
    await expect(documents.getByRole('listitem').filter({ hasText: 'Certificate: Welcome to Acme' })).toBeVisible();
    const download = page.waitForEvent('download');
    await documents.getByRole('button', { name: 'Download Certificate: Welcome to Acme' }).click();
    expect((await download).suggestedFilename()).toMatch(/^certificate-.*\.pdf$/);
  });
});

test.describe('phone home', () => {
  test.use({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });

  test('puts My groups and My programs within one swipe of the top, before the feed', async ({ page }) => {
    await signIn(page, 'learner1@demo.covey.test');
    const groups = page.getByRole('heading', { level: 2, name: 'My groups' });
    const programs = page.getByRole('list', { name: 'My programs' });
    const feed = page.getByRole('heading', { level: 2, name: 'Public feed' });
    await expect(programs.getByRole('listitem').first()).toBeVisible();
    const [groupsBox, programsBox, feedBox] = await Promise.all([groups.boundingBox(), programs.boundingBox(), feed.boundingBox()]);
    // One swipe: the end of My programs is at most two screens down, and both come before the feed.
    expect(groupsBox!.y).toBeLessThan(667);
    expect(programsBox!.y + programsBox!.height).toBeLessThan(2 * 667);
    expect(feedBox!.y).toBeGreaterThan(programsBox!.y + programsBox!.height);
    // Readable at 375 px: nothing wider than the screen.
    await expectFitsScreen(page);
    await expectAccessible(page);
    await saveScreenshot(page, 'learner-home-phone');
  });
});
