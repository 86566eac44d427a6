import { feedControl } from './support/feed-control';
import { item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import { activeStreams, dashboardPath, expect, expectNoDuplicates, newsList, startButton, status, stopButton, test } from './support/test';

// Playwright's trace snapshots walk the whole DOM on every action, which with 1,000 rows costs
// seconds per step and would hide how fast the page itself is.
test.use({ trace: 'off' });

test('a burst of 1,000 new articles is listed once each and the page stays responsive', async ({ page }) => {
  const symbol = 'BULKE';
  const base = Date.now() - 2 * 86_400_000;
  const first = [item('bulke-0', 'BULKE first', minutesAgo(1))];
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, first));
  await page.goto(dashboardPath(symbol, 60_000));
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');

  const burst = Array.from({ length: 1_000 }, (_, i) => item(`bulke-${i + 1}`, `BULKE story ${i + 1}`, new Date(base + i * 60_000)));
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [...first, ...burst]));
  const rows = newsList(page).locator('li[data-article-id]');
  // 1,000 is the list's cap (lib/dashboard/articles.ts): the oldest of the 1,003 candidates fall off.
  await expect(rows).toHaveCount(1_000, { timeout: 20_000 });
  // The main thread is free right after the burst (a trivial script answers in milliseconds when
  // it is; when every row animated at once it took seconds). Generous bound for a busy machine.
  const asked = Date.now();
  await page.evaluate(() => document.title);
  expect(Date.now() - asked).toBeLessThan(1_000);
  await expectNoDuplicates(page);
  await expect(page.getByTestId('new-count')).toHaveText(/^\d+ new articles$/);
  // Still responsive: Stop answers at once with the long list on screen (generous bound for a busy machine).
  const clicked = Date.now();
  await stopButton(page).click();
  await expect(status(page)).toHaveText('Stream stopped');
  expect(Date.now() - clicked).toBeLessThan(3_000);
  await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(0);
});
