import { startApp, type AppServer } from '../tests/support/app-server';
import { sleep } from '../tests/support/wait';
import { feedControl } from './support/feed-control';
import { APP_ENV, feedList, item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import { activeStreams, expect, listedIdCounts, liveUntilStopPath, newsList, recordStreamRequests, startButton, status, stopButton, test } from './support/test';

/*
 * Live until Stop (issue 13, contract §6.2 and §6.6). Needs `since` on the server: every stream
 * after the first continues after the previous one's last event id. An app with 8 s windows makes
 * a minute span seven or more chained streams.
 */

const WINDOW_MS = 8_000;
let app: AppServer;
test.beforeAll(async () => {
  app = await startApp({ ...APP_ENV, STREAM_MAX_DURATION_MS: String(WINDOW_MS), NEWS_FEEDS: feedList(process.env.E2E_FEED_URL ?? '') });
});
test.afterAll(async () => {
  await app?.stop();
});

test('stays ● Live for a minute across at least six chained streams, every article shown exactly once; Stop ends it', async ({ page }) => {
  test.setTimeout(180_000);
  const symbol = 'DAYA';
  const items = [item('daya-0', 'DAYA steady', minutesAgo(20))];
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, items));
  const streams = recordStreamRequests(page);
  await page.goto(`${app.url}${liveUntilStopPath([symbol])}`);
  await expect(page.getByText('Updates every 1 s until you stop')).toBeVisible();
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect(status(page)).toHaveText(/^● Live since \d\d:\d\d$/);
  const liveText = await status(page).textContent();

  // Every state and text the status line takes from here on, as the page renders it.
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="stream-status"]')!;
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver(() => seen.push(`${el.getAttribute('data-status')}|${el.textContent}`)).observe(el, {
      attributes: true,
      childList: true,
      subtree: true,
      characterData: true,
    });
  });

  // A fixture feed publishing every second for a minute.
  const started = Date.now();
  let n = 0;
  while (Date.now() - started < 60_000) {
    n += 1;
    items.unshift(item(`daya-${n}`, `DAYA story ${n}`, new Date()));
    await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, items));
    await sleep(1_000);
  }
  await expect(newsList(page).locator(`li[data-article-id="daya-${n}"]`)).toHaveCount(1, { timeout: 10_000 });

  // The seams were invisible: never anything but "● Live since …", never "Stream complete".
  const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
  expect(statuses.filter((s) => s !== `live|${liveText}`)).toEqual([]);
  await expect(page.getByText('Stream complete')).toHaveCount(0);
  // Chained: seven or more streams, each after the first continuing after a cursor, none longer than allowed.
  expect(streams.length).toBeGreaterThanOrEqual(7);
  for (const r of streams.slice(1)) expect(new URL(r.url()).searchParams.get('since')).toBeTruthy();
  for (const r of streams) expect(Number(new URL(r.url()).searchParams.get('duration'))).toBeLessThanOrEqual(WINDOW_MS);
  // No gap, no repeat.
  const counts = await listedIdCounts(page);
  for (let i = 0; i <= n; i += 1) expect(counts.get(`daya-${i}`), `daya-${i}`).toBe(1);
  expect([...counts.values()].every((c) => c === 1)).toBe(true);

  // Stop ends it for good: no further request, even past a window's end, and nothing open.
  await stopButton(page).click();
  await expect(status(page)).toHaveText('Stream stopped');
  const settled = streams.length;
  await sleep(WINDOW_MS + 2_000);
  expect(streams.length).toBe(settled);
  await expect.poll(() => activeStreams(app.url), { timeout: 3_000 }).toBe(0);
});

test('an open-ended session shows the time to the next update instead of a stream end', async ({ page }) => {
  const symbol = 'DAYB';
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('dayb-0', 'DAYB steady', minutesAgo(20))]));
  await page.goto(`${app.url}${liveUntilStopPath([symbol], 5_000)}`);
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  const bar = page.getByRole('progressbar', { name: 'Time to next update' });
  await expect(bar).toHaveAttribute('aria-valuetext', /^(Next update in 0:0\d|Next update due)$/);
  await expect(page.getByTestId('next-update')).toHaveText(/^(Next update in 0:0\d|Next update due)$/);
  await expect(page.getByTestId('time-remaining')).toHaveCount(0);
  await stopButton(page).click();
  // Stopped, nothing is on its way: the line must not still promise an update.
  await expect(page.getByTestId('next-update')).toHaveText('No updates until you start the stream again');
});
