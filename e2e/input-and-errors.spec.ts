import { startApp, type AppServer } from '../tests/support/app-server';
import { feedControl } from './support/feed-control';
import { APP_ENV, feedList, item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import type { Page } from '@playwright/test';
import { dashboardPath, expect, newsList, startButton, status, test } from './support/test';

const symbolAlert = (page: Page) => page.getByRole('form', { name: 'Choose a symbol' }).getByRole('alert');

test('bad symbol input is explained inline and never sent', async ({ page }) => {
  await feedControl.set(symbolFeedPath('INPA'), symbolFeed('INPA', [item('inpa-1', 'INPA steady', minutesAgo(15))]));
  const newsRequests: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) newsRequests.push(url.searchParams.get('symbol') ?? '');
  });
  await page.goto(dashboardPath('INPA'));
  await expect(newsList(page).getByRole('link', { name: /INPA steady/ })).toBeVisible();

  const input = page.getByLabel('Symbol', { exact: true });
  for (const bad of ['TSLA; DROP', 'ABCDEFGHIJKLMN', '$$$']) {
    await input.fill(bad);
    await page.getByRole('button', { name: 'Show news' }).click();
    await expect(symbolAlert(page)).toContainText('Use 1–12 letters, digits');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
  }
  await input.fill('   ');
  await input.press('Enter');
  await expect(symbolAlert(page)).toHaveText('Enter a ticker symbol, e.g. TSLA.');
  // Nothing was sent for the bad input, and the view still shows the last good symbol.
  expect(newsRequests.every((s) => s === 'INPA')).toBe(true);
  await expect(page.getByRole('heading', { name: 'Headlines for INPA' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('symbol')).toBe('INPA');

  // Typing clears the complaint; valid input is trimmed and upper-cased as the contract does.
  await input.fill(' brk.b ');
  await expect(symbolAlert(page)).toHaveCount(0);
  await input.press('Enter');
  await expect(page.getByRole('heading', { name: 'Headlines for BRK.B' })).toBeVisible();
});

test('the symbol comes from the URL and recent symbols are remembered across reloads', async ({ page }) => {
  await feedControl.set(symbolFeedPath('RECA'), symbolFeed('RECA', [item('reca-1', 'RECA headline', minutesAgo(5))]));
  await feedControl.set(symbolFeedPath('RECB'), symbolFeed('RECB', [item('recb-1', 'RECB headline', minutesAgo(5))]));
  await page.goto('/dashboard?symbol=reca');
  await expect(page.getByRole('heading', { name: 'Headlines for RECA' })).toBeVisible();
  await expect(newsList(page).getByRole('link', { name: /RECA headline/ })).toBeVisible();
  const input = page.getByLabel('Symbol', { exact: true });
  await input.fill('RECB');
  await input.press('Enter');
  await expect(newsList(page).getByRole('link', { name: /RECB headline/ })).toBeVisible();
  await expect(page).toHaveURL(/symbol=RECB/);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Headlines for RECB' })).toBeVisible();
  const recent = page.getByRole('list', { name: 'Recent symbols' });
  await expect(recent.getByRole('button', { name: 'RECB' })).toHaveAttribute('aria-pressed', 'true');
  await recent.getByRole('button', { name: 'RECA' }).click();
  await expect(newsList(page).getByRole('link', { name: /RECA headline/ })).toBeVisible();
  await expect(page).toHaveURL(/symbol=RECA/);
});

test('headlines show a skeleton while loading and an error with a retry when the snapshot fails', async ({ page }) => {
  await feedControl.set(symbolFeedPath('SNAPE'), symbolFeed('SNAPE', [item('snape-1', 'SNAPE headline', minutesAgo(5))]));
  let failing = true;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/news?*', async (route) => {
    await held;
    if (failing) {
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Feeds unavailable' }, id: null }),
      });
    } else {
      await route.continue();
    }
  });
  await page.goto(dashboardPath('SNAPE'));
  await expect(page.getByTestId('news-skeleton')).toBeVisible();
  release();
  await expect(page.getByTestId('snapshot-error')).toContainText('Headlines could not be loaded. The server failed (HTTP 503). Feeds unavailable.');
  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(newsList(page).getByRole('link', { name: /SNAPE headline/ })).toBeVisible();
  await expect(page.getByTestId('snapshot-error')).toHaveCount(0);
});

test.describe('with stream limits on', () => {
  let limited: AppServer;
  test.beforeAll(async () => {
    limited = await startApp({ ...APP_ENV, MAX_STREAMS_PER_CLIENT: '1', RATE_LIMIT_PER_MINUTE: '0', NEWS_FEEDS: feedList(process.env.E2E_FEED_URL ?? '') });
  });
  test.afterAll(async () => {
    await limited?.stop();
  });

  test('a 429 is explained in words with its Retry-After', async ({ page }) => {
    await feedControl.set(symbolFeedPath('LIMD'), symbolFeed('LIMD', [item('limd-1', 'LIMD headline', minutesAgo(5))]));
    // Another tab of the same client (same IP) already holds the one stream allowed.
    const other = new AbortController();
    const held = await fetch(`${limited.url}/api/mcp/stream-news?symbol=LIMD&duration=60000`, { signal: other.signal });
    expect(held.status).toBe(200);
    try {
      await page.goto(`${limited.url}${dashboardPath('LIMD', 30_000)}`);
      await expect(newsList(page).getByRole('link', { name: /LIMD headline/ })).toBeVisible();
      await startButton(page).click();
      await expect(status(page)).toHaveAttribute('data-status', 'error');
      await expect(status(page)).toContainText('Too many streams right now.');
      await expect(status(page)).toContainText(/Try again in \d+ seconds?\./);
      // The refusal leaves the page usable: the button offers a new start.
      await expect(startButton(page)).toBeEnabled();
    } finally {
      other.abort();
    }
  });
});
