import path from 'node:path';
import { repoRoot } from '../tests/support/app-server';
import { rssFeed } from '../tests/support/feed-server';
import { feedControl } from './support/feed-control';
import { item, marketItems, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import { addSymbolBox, addSymbols, chipSymbols, expect, expectNoDuplicates, filterBox, liveUntilStopPath, newsList, recordStreamRequests, removeButton, startButton, status, stopButton, test, watchlistAlert } from './support/test';

/*
 * Watchlists and filters in the dashboard (issue 14, contract §6.3, §6.4, §6.6). Needs the
 * watchlist API on the server: `symbols=`, `symbols` on articles, `q`, and `since` for a filter
 * change while live.
 */

const row = (page: import('@playwright/test').Page, id: string) => newsList(page).locator(`li[data-article-id="${id}"]`);

test('a three-symbol watchlist built in the page: live, badges per symbol, filter, remove, reload', async ({ page }, testInfo) => {
  for (const s of ['WLA', 'WLB', 'WLC']) {
    await feedControl.set(symbolFeedPath(s), symbolFeed(s, [item(`${s.toLowerCase()}-0`, `${s} holds steady`, minutesAgo(30))]));
  }
  const streams = recordStreamRequests(page);
  try {
    await page.goto(liveUntilStopPath(['WLA']));
    await addSymbols(page, 'wlb');
    await addSymbolBox(page).fill('WLC');
    await addSymbolBox(page).press('Enter');
    await expect.poll(() => chipSymbols(page)).toEqual(['WLA', 'WLB', 'WLC']);
    await expect(page).toHaveURL(/[?&]symbols=WLA,WLB,WLC(&|$)/);
    await expect(page.getByRole('heading', { name: 'Headlines for WLA, WLB, WLC' })).toBeVisible();
    for (const s of ['WLA', 'WLB', 'WLC']) await expect(row(page, `${s.toLowerCase()}-0`).getByText(s, { exact: true })).toBeVisible();

    await startButton(page).click();
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    expect(new URL(streams.at(-1)!.url()).searchParams.get('symbols')).toBe('WLA,WLB,WLC');

    // New articles while live: one per symbol feed, a market item naming WLA, one naming none.
    await feedControl.set(symbolFeedPath('WLB'), symbolFeed('WLB', [item('wlb-1', 'WLB agrees merger', new Date()), item('wlb-0', 'WLB holds steady', minutesAgo(30))]));
    await feedControl.set(symbolFeedPath('WLC'), symbolFeed('WLC', [item('wlc-1', 'WLC earnings beat', new Date()), item('wlc-0', 'WLC holds steady', minutesAgo(30))]));
    await feedControl.set(
      '/market.xml',
      rssFeed('Market Wire', [item('mkt-wla', 'Why $WLA rallied', new Date()), item('mkt-wlax', 'WLAX fund launches', new Date()), ...marketItems]),
    );
    await expect(row(page, 'wlb-1').getByText('WLB', { exact: true })).toBeVisible();
    await expect(row(page, 'wlc-1').getByText('WLC', { exact: true })).toBeVisible();
    await expect(row(page, 'mkt-wla').getByText('WLA', { exact: true })).toBeVisible();
    // "WLAX" is not a mention of WLA: market-wide.
    await expect(row(page, 'mkt-wlax').getByText('Market-wide', { exact: true })).toBeVisible();
    await expect(row(page, 'mkt-1').getByText('Market-wide', { exact: true })).toBeVisible();
    await expect(page.getByTestId('new-count-WLB')).toHaveText('1 new');
    await expect(page.getByTestId('new-count-WLC')).toHaveText('1 new');
    await expect(page.getByTestId('new-count-WLA')).toHaveText('1 new');

    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      const file = testInfo.outputPath(`dashboard-watchlist-${colorScheme}.png`);
      await page.screenshot({ path: file });
      await testInfo.attach(`dashboard-watchlist-${colorScheme}`, { path: file, contentType: 'image/png' });
      if (process.env.UPDATE_DOC_SCREENSHOTS === '1') await page.screenshot({ path: path.join(repoRoot, `docs/images/dashboard-watchlist-${colorScheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });

    // Filter while live: the list narrows at once, and what arrives next is filtered by the page,
    // on the same stream (a filter change costs no stream start).
    const before = streams.length;
    await filterBox(page).fill('merger earnings');
    await filterBox(page).press('Enter');
    await expect(page).toHaveURL(/[?&]q=merger(\+|%20)earnings/);
    await expect(row(page, 'wlb-1')).toBeVisible();
    await expect(row(page, 'wlc-1')).toBeVisible();
    await expect(row(page, 'mkt-1')).toHaveCount(0);
    await feedControl.set(
      symbolFeedPath('WLA'),
      symbolFeed('WLA', [item('wla-2', 'WLA opens a plant', new Date()), item('wla-3', 'WLA earnings date set', new Date()), item('wla-0', 'WLA holds steady', minutesAgo(30))]),
    );
    await expect(row(page, 'wla-3')).toBeVisible();
    await expect(row(page, 'wla-2')).toHaveCount(0);
    expect(streams.length).toBe(before);
    expect(streams.map((r) => new URL(r.url()).searchParams.get('q'))).not.toContain('merger earnings');
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await expect(row(page, 'mkt-1')).toBeVisible();
    await expect(row(page, 'wla-2')).toBeVisible();

    // Remove a symbol: its own articles go, the stream switches to the smaller list.
    await removeButton(page, 'WLC').click();
    await expect.poll(() => chipSymbols(page)).toEqual(['WLA', 'WLB']);
    await expect(row(page, 'wlc-1')).toHaveCount(0);
    await expect(row(page, 'wlb-1')).toBeVisible();
    await expect.poll(() => new URL(streams.at(-1)!.url()).searchParams.get('symbols')).toBe('WLA,WLB');
    await expect(status(page)).toHaveAttribute('data-status', 'live');
    await expectNoDuplicates(page);
    await stopButton(page).click();

    // Reload: the list is kept.
    await page.reload();
    await expect.poll(() => chipSymbols(page)).toEqual(['WLA', 'WLB']);
    await expect(row(page, 'wlb-1')).toBeVisible();
    await expect(filterBox(page)).toHaveValue('');
  } finally {
    await feedControl.set('/market.xml', rssFeed('Market Wire', marketItems));
  }
});

test('a 26th symbol is explained and never sent', async ({ page }) => {
  const sent = new Set<string>();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) for (const s of (url.searchParams.get('symbols') ?? url.searchParams.get('symbol') ?? '').split(',')) sent.add(s);
  });
  await page.goto(liveUntilStopPath(['CAPA']));
  await addSymbols(page, Array.from({ length: 24 }, (_, i) => `CAP${i}`).join(', '));
  await expect.poll(async () => (await chipSymbols(page)).length).toBe(25);
  await addSymbols(page, 'CAPZ');
  await expect(watchlistAlert(page)).toHaveText('A watchlist holds at most 25 symbols: remove one before adding CAPZ.');
  await expect(addSymbolBox(page)).toHaveAttribute('aria-invalid', 'true');
  await page.waitForTimeout(500);
  expect(sent.has('CAPZ')).toBe(false);
  expect(await chipSymbols(page)).toHaveLength(25);
});

test('fits a 375 px phone screen with a watchlist and a filter, without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(liveUntilStopPath(['PHA', 'BRK.B', '^GSPC', 'BTC-USD', 'EURUSD=X'], 1_000, '"price target" -rumor'));
  await expect.poll(async () => (await chipSymbols(page)).length).toBe(5);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(removeButton(page, 'EURUSD=X')).toBeInViewport();
  await expect(startButton(page)).toBeVisible();
});
