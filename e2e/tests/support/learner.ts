import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiAs } from './pages.ts';

export const ADMIN = 'admin@demo.covey.test';
export const PASSWORD = 'e2e-password-123';

/** The learner journeys run twice: on a desktop screen and on a 375 px phone. */
export const screens = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 375, height: 667 } },
] as const;

/** Runs `body` once per screen size, in a describe block of its own. */
export function forEachScreen(body: (screen: (typeof screens)[number]) => void): void {
  for (const screen of screens) {
    test.describe(screen.name, () => {
      // Long journeys on a machine the other test runs share.
      test.describe.configure({ timeout: 90_000 });
      test.use({ viewport: screen.viewport, isMobile: screen.name === 'phone', hasTouch: screen.name === 'phone' });
      body(screen);
    });
  }
}

let counter = 0;
/** A fresh person (unique per run, screen and call) with the e2e password, member of the given groups. */
export async function createPerson(
  request: APIRequestContext,
  tag: string,
  groups: { group: string; role: 'learner' | 'observer' | 'admin' }[] = [],
  firstName = 'Ana',
) {
  const admin = await apiAs(request, ADMIN);
  const email = `${tag}.${Date.now().toString(36)}${++counter}@e2e.covey.test`;
  const user = await admin.post('/api/v1/users', { email, firstName, lastName: 'Lopez', password: PASSWORD, groups });
  return { id: user.id as string, email, firstName, lastName: 'Lopez', name: `${firstName} Lopez` };
}

/** A fresh group (under `parent`, a group name found by search, when given). */
export async function createGroup(request: APIRequestContext, name: string, parent?: string) {
  const admin = await apiAs(request, ADMIN);
  const parentId = parent ? ((await admin.get(`/api/v1/groups?q=${encodeURIComponent(parent)}`)).items as { id: string; name: string }[]).find((g) => g.name === parent)?.id : undefined;
  const group = await admin.post('/api/v1/groups', { name, ...(parentId ? { parentId } : {}) });
  return { id: group.id as string, name };
}

/** A fresh published program with these steps, assigned to the group (which enrolls its learners). */
export async function createProgram(request: APIRequestContext, title: string, groupId: string, steps: { title: string; content: string }[]) {
  const admin = await apiAs(request, ADMIN);
  const program = await admin.post('/api/v1/programs', { title, status: 'published', steps });
  await admin.put(`/api/v1/programs/${program.id}/groups/${groupId}`, {});
  return { id: program.id as string, title };
}

/** Readable on the screen: no page wider than the viewport (no sideways scrolling on a phone). */
export async function expectFitsScreen(page: Page): Promise<void> {
  const width = page.viewportSize()?.width;
  await expect(page.locator('html')).toHaveJSProperty('scrollWidth', width);
}
