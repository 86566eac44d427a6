import { startApp, type AppServer } from '../tests/support/app-server';
import { APP_ENV } from './support/fixtures-data';
import { expect, newsList, progressNow, startButton, status, test } from './support/test';

let demo: AppServer;
test.beforeAll(async () => {
  demo = await startApp({ ...APP_ENV, NEWS_FEEDS: 'demo' });
});
test.afterAll(async () => {
  await demo?.stop();
});

test('a new user opens the dashboard from the home page and streams demo news, labelled as demo', async ({ page }) => {
  await page.goto(`${demo.url}/`);
  await expect(page).toHaveTitle('Market Pulse: live market news');
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /live market news/i);
  await page.getByRole('link', { name: 'Open the dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('demo-label')).toHaveText(/Demo data/);
  await expect(page.getByRole('heading', { name: 'Headlines for TSLA' })).toBeVisible();

  await page.goto(`${demo.url}/dashboard?symbol=NVDA&interval=1000&duration=12000`);
  await expect(newsList(page).getByRole('link', { name: /NVDA/ }).first()).toBeVisible();
  await startButton(page).click();
  await expect(status(page)).toHaveText(/● Live/);
  await expect(page.getByTestId('demo-label')).toBeVisible();
  await expect.poll(() => progressNow(page)).toBeGreaterThan(0);
  await expect(newsList(page).getByRole('link', { name: /\[Demo\] .*NVDA/ }).first()).toBeVisible();
  await expect(status(page)).toHaveText('Stream complete', { timeout: 20_000 });
});
