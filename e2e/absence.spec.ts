import { startApp, type AppServer } from '../tests/support/app-server';
import { sleep } from '../tests/support/wait';
import { startDropProxy } from './support/drop-proxy';
import { feedControl } from './support/feed-control';
import { APP_ENV, feedList, item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import {
  activeStreams,
  appUrl,
  awayNotice,
  expect,
  expectNoDuplicates,
  listedIdCounts,
  liveUntilStopPath,
  newsList,
  recordRequests,
  recordStreamRequests,
  startButton,
  status,
  stopButton,
  test,
} from './support/test';
import type { FeedItem } from '../tests/support/feed-server';

/*
 * Coming back after an absence (issue 13, contract §6.6): the missed articles appear once and the
 * page says how many arrived meanwhile. Open-ended sessions (no `duration` in the URL).
 */

/** A feed the test keeps publishing to: newest first, as feeds list them. */
function publisher(symbol: string, first: FeedItem[]) {
  const items = [...first];
  return {
    items,
    async publish(id: string, title: string) {
      items.unshift(item(id, title, new Date()));
      await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, items));
    },
  };
}

test('network gone for 10 s while articles are published: they appear once, with the "while you were away" count', async ({ page, context }) => {
  const symbol = 'AWAYA';
  const feed = publisher(symbol, [item('awaya-0', 'AWAYA steady', minutesAgo(20))]);
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, feed.items));
  const streams = recordStreamRequests(page);
  await page.goto(liveUntilStopPath([symbol]));
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect(status(page)).toHaveText(/● Live since \d\d:\d\d/);

  await context.setOffline(true);
  await expect(status(page)).toHaveAttribute('data-status', 'offline');
  const snapshotsSinceOffline = recordRequests(page, '/api/news');
  for (let i = 1; i <= 3; i += 1) {
    await feed.publish(`awaya-${i}`, `AWAYA missed story ${i}`);
    await sleep(3_000);
  }
  await sleep(1_000);
  await context.setOffline(false);

  await expect(status(page)).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
  await expect(awayNotice(page)).toHaveText('3 new articles while you were away.', { timeout: 10_000 });
  for (let i = 1; i <= 3; i += 1) await expect(newsList(page).getByRole('link', { name: `AWAYA missed story ${i}` })).toHaveCount(1);
  // Within the stream's window the same stream was resumed (Last-Event-ID), not restarted.
  expect((await streams.at(-1)!.allHeaders())['last-event-id']).toBeTruthy();
  // The resume alone brings the missed articles: a snapshot refetched on reconnect raced it and,
  // when it won, listed them uncounted ("0 new articles while you were away").
  expect(snapshotsSinceOffline.map((r) => r.url()), 'no snapshot refetched while streaming').toEqual([]);

  await feed.publish('awaya-4', 'AWAYA after the return');
  await expect(newsList(page).getByRole('link', { name: 'AWAYA after the return' })).toHaveCount(1);
  await expectNoDuplicates(page);
  await stopButton(page).click();
});

test('a sleeping laptop (timers frozen, socket silently dead) recovers the same way on waking', async ({ page }) => {
  const symbol = 'SLEEPA';
  const feed = publisher(symbol, [item('sleepa-0', 'SLEEPA steady', minutesAgo(20))]);
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, feed.items));
  // The proxy freezes the open stream without closing it: no bytes, no error, as after a real sleep.
  const proxy = await startDropProxy(Number(new URL(appUrl()).port));
  try {
    await page.clock.install();
    const streams = recordStreamRequests(page);
    await page.goto(`${proxy.url}${liveUntilStopPath([symbol])}`);
    await startButton(page).click();
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await expect(newsList(page).getByRole('link', { name: 'SLEEPA steady' })).toHaveCount(1);

    // Lid closed: timers stop and the socket goes quiet.
    proxy.stall();
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
    await feed.publish('sleepa-1', 'SLEEPA missed story 1');
    await feed.publish('sleepa-2', 'SLEEPA missed story 2');
    await sleep(4_000);
    const before = streams.length;

    // Lid opened 30 s later (page time): the first tick sees the jump and reconnects.
    await page.clock.fastForward(30_000);
    await page.clock.resume();
    await expect.poll(() => streams.length, { timeout: 10_000 }).toBeGreaterThan(before);
    await expect(awayNotice(page)).toHaveText('2 new articles while you were away.', { timeout: 10_000 });
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    for (const id of ['sleepa-1', 'sleepa-2']) expect((await listedIdCounts(page)).get(id)).toBe(1);
    await expectNoDuplicates(page);
    await stopButton(page).click();
  } finally {
    await proxy.close();
  }
});

test.describe('with short stream windows', () => {
  let shortWindows: AppServer;
  test.beforeAll(async () => {
    shortWindows = await startApp({ ...APP_ENV, STREAM_MAX_DURATION_MS: '4000', NEWS_FEEDS: feedList(process.env.E2E_FEED_URL ?? '') });
  });
  test.afterAll(async () => {
    await shortWindows?.stop();
  });

  test('offline past the end of the stream: the next one continues with since, nothing lost or repeated', async ({ page, context }) => {
    // Needs `since` (contract §6.2) on the server.
    const symbol = 'AWAYB';
    const feed = publisher(symbol, [item('awayb-0', 'AWAYB steady', minutesAgo(20))]);
    await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, feed.items));
    const streams = recordStreamRequests(page);
    await page.goto(`${shortWindows.url}${liveUntilStopPath([symbol])}`);
    await startButton(page).click();
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await context.setOffline(true);
    await expect(status(page)).toHaveAttribute('data-status', 'offline');
    await feed.publish('awayb-1', 'AWAYB missed story 1');
    await sleep(6_000);
    await feed.publish('awayb-2', 'AWAYB missed story 2');
    await sleep(2_000);
    await context.setOffline(false);
    await expect(awayNotice(page)).toHaveText('2 new articles while you were away.', { timeout: 10_000 });
    const after = streams.at(-1)!;
    expect(new URL(after.url()).searchParams.get('since'), 'the window had ended: a new stream after the cursor').toBeTruthy();
    await expectNoDuplicates(page);
    await stopButton(page).click();
    await expect.poll(() => activeStreams(shortWindows.url), { timeout: 3_000 }).toBe(0);
  });

  test('a cursor too old for the history: says so, shows the latest snapshot and stays live', async ({ page }) => {
    const symbol = 'OLDC';
    const feed = publisher(symbol, [item('oldc-0', 'OLDC steady', minutesAgo(20))]);
    await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, feed.items));
    // The server's answer to a cursor beyond its history (contract §6.2), for the first chained request.
    let refused = 0;
    await page.route(/\/api\/mcp\/stream-news\?.*since=/, async (route) => {
      if (refused > 0) return route.continue();
      refused += 1;
      await route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32602, message: 'since is older than the article history', data: { reason: 'since-too-old', fields: { since: 'older than the history' } } },
          id: null,
        }),
      });
    });
    await page.goto(`${shortWindows.url}${liveUntilStopPath([symbol])}`);
    await startButton(page).click();
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await feed.publish('oldc-1', 'OLDC published during the gap');
    await expect(awayNotice(page)).toContainText('You were away longer than the server keeps news', { timeout: 15_000 });
    await expect(newsList(page).getByRole('link', { name: 'OLDC published during the gap' })).toHaveCount(1);
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await feed.publish('oldc-2', 'OLDC after the snapshot');
    await expect(newsList(page).getByRole('link', { name: 'OLDC after the snapshot' })).toHaveCount(1, { timeout: 15_000 });
    await expectNoDuplicates(page);
    await stopButton(page).click();
  });
});
