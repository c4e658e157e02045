import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'covey-demo-1';
const screenshotsDir = path.join(import.meta.dirname, '..', '..', 'screenshots');

/** Signs in through the login form and waits for the home page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
}

/** WCAG 2.1 A and AA, once the page has settled (no skeleton left). */
export async function expectAccessible(page: Page): Promise<void> {
  await expect(page.locator('.skeleton')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

/** Saves a full-page screenshot under e2e/screenshots/ for the README. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** An API session for arranging data the UI flow under test does not cover. */
export async function apiAs(request: APIRequestContext, email: string, password = DEMO_PASSWORD) {
  const login = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status()).toBe(200);
  const { accessToken } = await login.json();
  const headers = { Authorization: `Bearer ${accessToken}` };
  return {
    async get(url: string) {
      const response = await request.get(url, { headers });
      expect(response.ok(), `${url} -> ${response.status()}`).toBe(true);
      return response.json();
    },
    async put(url: string, data: unknown) {
      const response = await request.put(url, { headers, data });
      expect(response.ok(), `${url} -> ${response.status()} ${await response.text()}`).toBe(true);
      return response.status() === 204 ? undefined : response.json();
    },
    async post(url: string, data: unknown) {
      const response = await request.post(url, { headers, data });
      expect(response.ok(), `${url} -> ${response.status()} ${await response.text()}`).toBe(true);
      return response.json();
    },
  };
}
