import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests of the dashboard in Debian's Chromium against the production build (`next start`)
 * and a local feed server; e2e/global-setup.ts builds if needed and starts both. One worker: tests
 * read the app's activeStreams count, which parallel tests would disturb.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e',
  // scripts/support is plain ESM that bare node runs too: Playwright's CommonJS transform breaks
  // an .mjs file, so Node loads it untouched (require of an ES module, Node >= 20.19).
  build: { external: ['**/scripts/support/*.mjs'] },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: '/usr/bin/chromium' },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: { executablePath: '/usr/bin/chromium' } },
    },
  ],
});
