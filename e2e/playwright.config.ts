import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ISSUER, OIDC_NAME } from './tests/support/oidc-provider.ts';

const isCI = !!process.env.CI;
const port = 3100;
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;

// Playwright loads this file in the runner and again in every worker; pin the data folder in the environment
// (which workers inherit) so every load agrees on one fresh database per run.
process.env.COVEY_E2E_DATA_DIR ??= path.join(import.meta.dirname, '.data', `e2e-${Date.now()}`);
const dataDir = process.env.COVEY_E2E_DATA_DIR;

export default defineConfig({
  testDir: 'tests',
  // The test OpenID Provider that identity-oidc.spec.ts signs in through.
  globalSetup: './tests/support/global-setup.ts',
  fullyParallel: true,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  reporter: isCI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL,
    trace: 'on-first-retry',
    // Chromium comes from Debian (`apt-get install chromium`); Playwright never downloads a browser here.
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  // With E2E_BASE_URL the tests target a server someone else runs.
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        // The API serves the built SPA; build both first (`pnpm run build` at the root).
        command: 'pnpm --filter @covey/api run start',
        cwd: path.join(import.meta.dirname, '..'),
        env: {
          PORT: String(port),
          COVEY_DATA_DIR: dataDir,
          COVEY_SEED_DEMO: '1',
          LOG_LEVEL: 'warn',
          // Every test signs in from 127.0.0.1, many as the same demo admin, in parallel: the per address and e-mail
          // sign-in limit (20 a minute by default) is for people, not for a suite.
          LOGIN_RATE_LIMIT: '1000',
          // Single sign-on through the test provider (discovered at first use, so start-up order does not matter).
          COVEY_OIDC_ISSUER: OIDC_ISSUER,
          COVEY_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
          COVEY_OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET,
          COVEY_OIDC_NAME: OIDC_NAME,
        },
        url: `http://127.0.0.1:${port}/api/health`,
        reuseExistingServer: !isCI,
        timeout: 120_000,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
