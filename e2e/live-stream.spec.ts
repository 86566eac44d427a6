import { feedControl } from './support/feed-control';
import { item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import { startDropProxy } from './support/drop-proxy';
import type { Request } from '@playwright/test';
import {
  activeStreams,
  addSymbols,
  appUrl,
  dashboardPath,
  expect,
  expectNoDuplicates,
  listedIdCounts,
  liveUntilStopPath,
  newsList,
  progressBar,
  progressNow,
  recordStreamRequests,
  removeButton,
  startButton,
  status,
  stopButton,
  test,
} from './support/test';
import { sleep } from '../tests/support/wait';

test('a live stream shows progress, brings a new article in once, completes and does not reconnect', async ({ page }) => {
  const symbol = 'LIVEA';
  const first = [item('livea-1', 'LIVEA ships record quarter', minutesAgo(30)), item('livea-2', 'LIVEA analyst day set', minutesAgo(90))];
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, first));
  const streamRequests = recordStreamRequests(page);
  const consoleErrors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  await page.goto(dashboardPath(symbol, 10_000));
  await expect(page).toHaveTitle(/Dashboard · Market Pulse/);
  // Before streaming: the snapshot from /api/news.
  await expect(newsList(page).getByRole('link', { name: /LIVEA ships record quarter/ })).toBeVisible();
  await expect(newsList(page).getByText('Market-wide').first()).toBeVisible();

  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect(status(page)).toHaveText(/● Live/);
  await expect(page.getByTestId('time-remaining')).toHaveText(/\d:\d\d left/);

  await expect.poll(() => progressNow(page)).toBeGreaterThan(0);
  const earlier = await progressNow(page);
  await expect.poll(() => progressNow(page)).toBeGreaterThan(earlier);

  // The feed publishes mid-stream: the article arrives once, flagged new, and is counted.
  const fresh = item('livea-3', 'LIVEA wins big contract', new Date());
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [fresh, ...first]));
  const freshLink = newsList(page).getByRole('link', { name: /LIVEA wins big contract/ });
  await expect(freshLink).toHaveCount(1);
  await expect(freshLink).toHaveAttribute('target', '_blank');
  await expect(freshLink).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(freshLink).toHaveAttribute('href', 'https://news.example.com/livea-3');
  const freshRow = newsList(page).locator('li[data-article-id="livea-3"]');
  await expect(freshRow).toHaveAttribute('data-new', 'true');
  await expect(freshRow.getByText('New', { exact: true })).toBeVisible();
  await expect(freshRow.getByText('LIVEA', { exact: true })).toBeVisible(); // symbol-specific badge
  await expect(freshRow.locator('time')).toHaveText('just now');
  await expect(freshRow.locator('time')).toHaveAttribute('title', /\d{4}/);
  await expect(page.getByTestId('new-count')).toHaveText('1 new article');
  // Newest first: the fresh article heads the list.
  await expect(newsList(page).locator('li').first()).toHaveAttribute('data-article-id', 'livea-3');

  // Later rounds resend nothing already shown.
  await sleep(2_500);
  await expectNoDuplicates(page);
  expect((await listedIdCounts(page)).get('livea-3')).toBe(1);

  // At `duration` the server sends the final result: a stream of a fixed length (duration in the URL) ends there.
  await expect(status(page)).toHaveText('Stream complete', { timeout: 20_000 });
  await expect(progressBar(page)).toHaveAttribute('aria-valuenow', '100');
  await expect(startButton(page)).toBeVisible();
  const requestsAtEnd = streamRequests.length;
  expect(requestsAtEnd).toBe(1);
  // No reconnect follows, not even after the server's `retry` (3 s).
  await sleep(4_500);
  expect(streamRequests.length).toBe(requestsAtEnd);
  await expect.poll(() => activeStreams()).toBe(0);
  await expectNoDuplicates(page);

  // Starting again begins a new session: its count starts at 0, and the last session's arrival,
  // still under a minute old, is no longer marked New either.
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('new-count')).toHaveText('0 new articles');
  await expect(freshRow).not.toHaveAttribute('data-new');
  await expect(freshRow.getByText('New', { exact: true })).toHaveCount(0);
  await stopButton(page).click();
  await expect(status(page)).toHaveText('Stream stopped');
  // No hydration mismatches, React errors or failed requests along the way.
  expect(consoleErrors).toEqual([]);
});

test('Stop Stream closes the stream at once', async ({ page }) => {
  const symbol = 'STOPB';
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('stopb-1', 'STOPB holds steady', minutesAgo(10))]));
  const streamRequests = recordStreamRequests(page);
  await page.goto(dashboardPath(symbol, 60_000));
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect.poll(() => activeStreams()).toBe(1);

  await stopButton(page).click();
  await expect(status(page)).toHaveText('Stream stopped');
  await expect(page.getByText('● Live')).toHaveCount(0);
  await expect(startButton(page)).toBeVisible();
  // The server sees the disconnect and stops the stream (contract: within one second; generous on a busy machine).
  await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(0);
  const after = streamRequests.length;
  await sleep(4_000);
  expect(streamRequests.length, 'no reconnect after Stop').toBe(after);
});

test('a reload while live continues the session where it was; after Stop a reload stays stopped', async ({ page }) => {
  const symbol = 'RELA';
  const old = item('rela-1', 'RELA holds steady', minutesAgo(10));
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [old]));
  const streamRequests = recordStreamRequests(page);
  await page.goto(liveUntilStopPath([symbol]));
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  const liveSince = await status(page).textContent();
  await expect.poll(() => activeStreams()).toBe(1);
  const arrived = item('rela-2', 'RELA wins contract', new Date());
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [arrived, old]));
  await expect(newsList(page).locator('li[data-article-id="rela-2"]')).toHaveAttribute('data-new', 'true');

  const before = streamRequests.length;
  await page.reload();
  // No Start press: the page continues the stream after its last event id.
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect(status(page)).toHaveText(liveSince!);
  expect(streamRequests.length).toBe(before + 1);
  const continued = streamRequests.at(-1)!;
  const lastEventId = (await continued.allHeaders())['last-event-id'] ?? new URL(continued.url()).searchParams.get('since');
  expect(lastEventId).toBeTruthy();
  await expect.poll(() => activeStreams()).toBe(1);
  // What arrived before the reload keeps its mark and count; what comes next joins them.
  await expect(newsList(page).locator('li[data-article-id="rela-2"]')).toHaveAttribute('data-new', 'true');
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('rela-3', 'RELA raises guidance', new Date()), arrived, old]));
  await expect(newsList(page).locator('li[data-article-id="rela-3"]')).toHaveAttribute('data-new', 'true');
  await expect(page.getByTestId('new-count-RELA')).toHaveText('2 new');
  await expectNoDuplicates(page);

  await stopButton(page).click();
  await expect(status(page)).toHaveText('Stream stopped');
  const stopped = streamRequests.length;
  await page.reload();
  await expect(startButton(page)).toBeVisible();
  await sleep(1_500);
  expect(streamRequests.length, 'no stream after reloading a stopped session').toBe(stopped);
  await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(0);
});

test('changing the watchlist while live switches the stream to the new list', async ({ page }) => {
  // Needs the watchlist API (symbols=, contract §6.3): the list passes through SWAPA+SWAPB.
  await feedControl.set(symbolFeedPath('SWAPA'), symbolFeed('SWAPA', [item('swapa-1', 'SWAPA first headline', minutesAgo(5))]));
  await feedControl.set(symbolFeedPath('SWAPB'), symbolFeed('SWAPB', [item('swapb-1', 'SWAPB first headline', minutesAgo(5))]));
  const streamRequests = recordStreamRequests(page);
  await page.goto(dashboardPath('SWAPA', 60_000));
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');

  await addSymbols(page, 'swapb');
  await removeButton(page, 'SWAPA').click();
  await expect(page.getByRole('heading', { name: 'Headlines for SWAPB' })).toBeVisible();
  const tickers = (r: Request) => new URL(r.url()).searchParams.get('symbol') ?? new URL(r.url()).searchParams.get('symbols');
  await expect.poll(() => streamRequests.map(tickers).at(-1)).toBe('SWAPB');
  expect(streamRequests.map(tickers)[0]).toBe('SWAPA');
  // A new list opens a fresh stream: a cursor belongs to its symbol set.
  expect(streamRequests.every((r) => !new URL(r.url()).searchParams.has('since'))).toBe(true);
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await expect(newsList(page).getByRole('link', { name: /SWAPB first headline/ })).toBeVisible();
  await expect(newsList(page).getByRole('link', { name: /SWAPA/ })).toHaveCount(0);
  // The address bar follows, so the view can be shared.
  expect(new URL(page.url()).searchParams.get('symbols')).toBe('SWAPB');
  // The SWAPA stream was closed, not left running beside the new one.
  await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(1);
  await expectNoDuplicates(page);
  await stopButton(page).click();
  await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(0);
});

test('after a network drop the page reconnects with Last-Event-ID and the stream resumes without duplicates', async ({ page }) => {
  const symbol = 'DROPC';
  const first = [item('dropc-1', 'DROPC opens a plant', minutesAgo(20)), item('dropc-2', 'DROPC names a CFO', minutesAgo(80))];
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, first));
  const proxy = await startDropProxy(Number(new URL(appUrl()).port));
  try {
    const streamRequests = recordStreamRequests(page);
    await page.goto(`${proxy.url}${dashboardPath(symbol, 25_000)}`);
    // The snapshot first: articles the stream brings before it lists them would count as new.
    await expect(newsList(page).getByRole('link', { name: /DROPC opens a plant/ })).toBeVisible();
    await startButton(page).click();
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await expect.poll(() => progressNow(page)).toBeGreaterThan(0);
    const before = await progressNow(page);

    proxy.drop();
    await expect(status(page)).toHaveAttribute('data-status', 'reconnecting');
    await expect(status(page)).toHaveText(/reconnecting/i);
    // Published while the page is cut off: it must arrive after the resume, once.
    await feedControl.set(
      symbolFeedPath(symbol),
      symbolFeed(symbol, [item('dropc-3', 'DROPC raises guidance', new Date()), ...first]),
    );
    await sleep(2_000);
    proxy.restore();

    await expect(status(page)).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
    await expect(page.getByText('resumed after 1 drop')).toBeVisible();
    const resume = streamRequests.at(-1);
    expect(streamRequests.length).toBeGreaterThanOrEqual(2);
    expect((await resume!.allHeaders())['last-event-id'], 'reconnect carries Last-Event-ID').toBeTruthy();

    await expect(newsList(page).getByRole('link', { name: /DROPC raises guidance/ })).toHaveCount(1);
    await expect(page.getByTestId('new-count')).toHaveText('1 new article');
    // Progress continues from where it was rather than starting over.
    expect(await progressNow(page)).toBeGreaterThanOrEqual(before);
    await expect.poll(() => progressNow(page)).toBeGreaterThan(before);
    await expectNoDuplicates(page);
    await stopButton(page).click();
    await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(0);
  } finally {
    await proxy.close();
  }
});

test('a failing feed is mentioned quietly while the others still show', async ({ page }) => {
  // No per-symbol feed exists for this symbol: the feed server answers 404, the market feed works.
  await page.goto(dashboardPath('NOFEED'));
  await expect(page.getByTestId('feed-warnings')).toContainText('1 feed is unavailable');
  await expect(newsList(page).getByRole('link', { name: /Stocks open higher/ })).toBeVisible();
  await page.getByTestId('feed-warnings').locator('summary').click();
  await expect(page.getByTestId('feed-warnings')).toContainText('404');
});

test('a stream that ended while the network was down is reported complete, without reconnect loops', async ({ page }) => {
  const symbol = 'GONEF';
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('gonef-1', 'GONEF headline', minutesAgo(10))]));
  const proxy = await startDropProxy(Number(new URL(appUrl()).port));
  try {
    const streamRequests = recordStreamRequests(page);
    await page.goto(`${proxy.url}${dashboardPath(symbol, 5_000)}`);
    await startButton(page).click();
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    proxy.drop();
    await expect(status(page)).toHaveAttribute('data-status', 'reconnecting');
    // Stay down past the stream's end; the reconnect then gets 204 No Content (contract §1, Resume).
    await sleep(6_000);
    proxy.restore();
    await expect(status(page)).toHaveText('Stream complete: The stream ended while the connection was down.', { timeout: 15_000 });
    const settled = streamRequests.length;
    await sleep(4_000);
    expect(streamRequests.length, 'no reconnect after the 204').toBe(settled);
    await expect(startButton(page)).toBeVisible();
  } finally {
    await proxy.close();
  }
});
