import { expect, test, type Page } from '@playwright/test';
import { apiAs, expectAccessible, saveScreenshot, signIn } from './support/pages.ts';
import { createGroup, createPerson, createProgram, expectFitsScreen, forEachScreen, PASSWORD } from './support/learner.ts';
import { solidPng } from './support/png.ts';

// What the server checks a PDF by: its first bytes.
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A fresh group under France (so it inherits France's and Acme's programs) with a program of its own. */
async function space(request: Parameters<typeof createGroup>[0], tag: string) {
  const group = await createGroup(request, `Nantes ${tag} ${Date.now().toString(36)}`, 'France');
  const program = await createProgram(request, `Nantes welcome ${tag} ${Date.now().toString(36)}`, group.id, [
    { title: 'Say hello', content: 'Introduce yourself in the group space.' },
  ]);
  return { group, program };
}

async function openSpace(page: Page, groupId: string, name: string) {
  await page.goto(`/groups/${groupId}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

forEachScreen((screen) => {
  test('a learner edits and deletes their own post and comment', async ({ page, request }) => {
    const { group } = await space(request, `edit-${screen.name}`);
    const learner = await createPerson(request, `edit-${screen.name}`, [{ group: group.id, role: 'learner' }]);
    await signIn(page, learner.email, PASSWORD);
    await openSpace(page, group.id, group.name);

    await page.getByLabel('Post to the group').fill('Lunch at noon, who is in?');
    await page.getByRole('button', { name: 'Publish' }).click();
    const post = page.getByRole('article', { name: `Post by ${learner.name}` });
    await expect(post).toContainText('Lunch at noon');

    await post.getByRole('button', { name: 'Edit' }).click();
    await post.getByLabel('Edit the text').fill('Lunch at **1 pm**, who is in?');
    await expectAccessible(page);
    await post.getByRole('button', { name: 'Save' }).click();
    await expect(post.locator('strong')).toHaveText('1 pm');
    await expect(post).toContainText('edited');

    await post.getByRole('button', { name: /^Comments/ }).click();
    await post.getByLabel('Write a comment').fill('I will bring dessert');
    await post.getByRole('button', { name: 'Comment', exact: true }).click();
    const comment = post.getByRole('listitem', { name: `Comment by ${learner.name}` });
    await expect(comment).toContainText('I will bring dessert');
    await comment.getByRole('button', { name: 'Edit' }).click();
    await comment.getByLabel('Edit the text').fill('I will bring _two_ desserts');
    await comment.getByRole('button', { name: 'Save' }).click();
    await expect(comment.locator('em')).toHaveText('two');
    await expectAccessible(page);

    await comment.getByRole('button', { name: 'Delete' }).click();
    await expect(comment.getByText('Delete this comment?')).toBeVisible();
    await expectAccessible(page);
    await comment.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(comment).toHaveCount(0);
    await expect(post.getByRole('button', { name: 'Comments (0)' })).toBeVisible();

    await post.getByRole('button', { name: 'Delete' }).first().click();
    await expect(post.getByText('Delete this post and its comments?')).toBeVisible();
    await post.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(post).toHaveCount(0);
    await expect(page.getByText('No post in this group yet. Say hello!')).toBeVisible();
    await expectAccessible(page);
  });

  test('a group admin deletes a learner’s post; another learner may neither edit nor delete it', async ({ page, request }) => {
    const { group } = await space(request, `moderate-${screen.name}`);
    const author = await createPerson(request, `author-${screen.name}`, [{ group: group.id, role: 'learner' }], 'Bea');
    const peer = await createPerson(request, `peer-${screen.name}`, [{ group: group.id, role: 'learner' }], 'Carl');
    const moderator = await createPerson(request, `moderator-${screen.name}`, [{ group: group.id, role: 'admin' }], 'Dana');
    await (await apiAs(request, author.email, PASSWORD)).post(`/api/v1/groups/${group.id}/posts`, { body: 'Selling my old bike, ask me!' });

    await signIn(page, peer.email, PASSWORD);
    await openSpace(page, group.id, group.name);
    const post = page.getByRole('article', { name: `Post by ${author.name}` });
    await expect(post).toContainText('Selling my old bike');
    await expect(post.getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await expect(post.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn(page, moderator.email, PASSWORD);
    await openSpace(page, group.id, group.name);
    await expect(post.getByRole('button', { name: 'Edit' })).toHaveCount(0); // moderators delete, they do not rewrite
    await post.getByRole('button', { name: 'Delete' }).click();
    await expectAccessible(page);
    await post.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(post).toHaveCount(0);
  });

  test('a learner attaches an image and a PDF to a post: the image shows, the PDF downloads', async ({ page, request }) => {
    const { group } = await space(request, `attach-${screen.name}`);
    const learner = await createPerson(request, `attach-${screen.name}`, [{ group: group.id, role: 'learner' }]);
    await signIn(page, learner.email, PASSWORD);
    await openSpace(page, group.id, group.name);

    await page.getByLabel('Post to the group').fill('Photos and the schedule of Friday');
    await page.getByLabel('Attach an image or PDF').setInputFiles([
      { name: 'team-photo.png', mimeType: 'image/png', buffer: solidPng(120, 80, [40, 120, 200]) },
      { name: 'schedule.pdf', mimeType: 'application/pdf', buffer: pdf },
    ]);
    const chosen = page.getByRole('list', { name: 'Attachments' });
    await expect(chosen.getByRole('listitem')).toHaveCount(2);
    await expect(chosen).toContainText('team-photo.png');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Publish' }).click();

    const post = page.getByRole('article', { name: `Post by ${learner.name}` });
    const image = post.getByRole('img', { name: 'team-photo.png' });
    await expect(image).toBeVisible();
    await expect(image).toHaveJSProperty('naturalWidth', 120); // decoded, not a broken image
    const download = page.waitForEvent('download');
    await post.getByRole('button', { name: /schedule\.pdf/ }).click();
    expect((await download).suggestedFilename()).toBe('schedule.pdf');
    await expectAccessible(page);
    await saveScreenshot(page, `community-attachments-${screen.name}`);
    await expectFitsScreen(page);
  });

  test('the group space lists its programs, inherited ones marked', async ({ page, request }) => {
    const { group, program } = await space(request, `programs-${screen.name}`);
    const learner = await createPerson(request, `programs-${screen.name}`, [{ group: group.id, role: 'learner' }]);
    await signIn(page, learner.email, PASSWORD);
    await openSpace(page, group.id, group.name);

    const programs = page.getByRole('list', { name: 'Programs' });
    const items = programs.getByRole('listitem');
    await expect(items.first()).toContainText(program.title); // its own first
    await expect(items.first()).not.toContainText('From ');
    await expect(items.filter({ hasText: 'Selling in France' })).toContainText('From France');
    await expect(items.filter({ hasText: 'Welcome to Acme' })).toContainText('From Acme');
    await expect(programs).not.toContainText('Negotiation (draft)');
    await expectAccessible(page);
    await saveScreenshot(page, `group-space-programs-${screen.name}`);
    await expectFitsScreen(page);
    await programs.getByRole('link', { name: program.title }).click();
    await expect(page.getByRole('heading', { level: 1, name: program.title })).toBeVisible();
  });
});
