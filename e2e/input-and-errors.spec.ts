import { startApp, type AppServer } from '../tests/support/app-server';
import { feedControl } from './support/feed-control';
import { APP_ENV, feedList, item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import {
  addSymbolBox,
  addSymbols,
  chipSymbols,
  dashboardPath,
  expect,
  filterBox,
  newsList,
  removeButton,
  startButton,
  status,
  test,
  watchlistAlert,
} from './support/test';

test('bad watchlist input is explained inline and never sent', async ({ page }) => {
  await feedControl.set(symbolFeedPath('INPA'), symbolFeed('INPA', [item('inpa-1', 'INPA steady', minutesAgo(15))]));
  const sentTickers: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) sentTickers.push(...(url.searchParams.get('symbols') ?? url.searchParams.get('symbol') ?? '').split(','));
  });
  await page.goto(dashboardPath('INPA'));
  await expect(newsList(page).getByRole('link', { name: /INPA steady/ })).toBeVisible();

  const input = addSymbolBox(page);
  for (const bad of ['TSLA; DROP', 'ABCDEFGHIJKLMN', '$$$']) {
    await addSymbols(page, bad);
    await expect(watchlistAlert(page)).toContainText('Use 1–12 letters, digits');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
  }
  await input.fill('   ');
  await input.press('Enter');
  await expect(watchlistAlert(page)).toHaveText('Enter a ticker symbol, e.g. TSLA.');
  await addSymbols(page, 'inpa');
  await expect(watchlistAlert(page)).toHaveText('INPA is already on your watchlist.');
  await removeButton(page, 'INPA').click();
  await expect(watchlistAlert(page)).toHaveText('A watchlist needs at least one symbol: add another before removing INPA.');
  // Nothing was sent for the bad input, and the view still shows the last good list.
  expect(new Set(sentTickers)).toEqual(new Set(['INPA']));
  expect(await chipSymbols(page)).toEqual(['INPA']);
  await expect(page.getByRole('heading', { name: 'Headlines for INPA' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('symbol')).toBe('INPA');

  // Typing clears the complaint; valid input is trimmed and upper-cased as the contract does.
  await input.fill(' brk.b ');
  await expect(watchlistAlert(page)).toHaveCount(0);
  await input.press('Enter');
  await expect.poll(() => chipSymbols(page)).toEqual(['INPA', 'BRK.B']);
  await expect(input).toHaveValue('');
  expect(new URL(page.url()).searchParams.get('symbols')).toBe('INPA,BRK.B');
});

test('a bad filter is explained inline and never sent', async ({ page }) => {
  await feedControl.set(symbolFeedPath('FILA'), symbolFeed('FILA', [item('fila-1', 'FILA steady', minutesAgo(15))]));
  const sentFilters: Array<string | null> = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) sentFilters.push(url.searchParams.get('q'));
  });
  await page.goto(dashboardPath('FILA'));
  await expect(newsList(page).getByRole('link', { name: /FILA steady/ })).toBeVisible();
  const alert = page.getByRole('form', { name: 'Filter articles' }).getByRole('alert');
  for (const [bad, why] of [
    ['"record quarter', 'The filter has an unbalanced double quote.'],
    ['x'.repeat(201), 'The filter must be 1 to 200 characters.'],
    ['$$$', 'The filter term "$$$" has no letters or digits.'],
  ] as const) {
    await filterBox(page).fill(bad);
    await filterBox(page).press('Enter');
    await expect(alert).toContainText(why);
    await expect(filterBox(page)).toHaveAttribute('aria-invalid', 'true');
  }
  expect(sentFilters.every((q) => q === null)).toBe(true);
  expect(new URL(page.url()).searchParams.has('q')).toBe(false);
});

test('a link whose tickers or interval cannot be used says what the page does instead', async ({ page }) => {
  await page.goto('/dashboard?symbols=OPTA,lol%20lol&interval=5');
  await expect(page.getByTestId('link-notice')).toHaveText([
    'The link\'s "lol lol" is not a ticker and was left out.',
    "The link's interval=5 is not milliseconds from 1000 to 300000: updates come every 10 s.",
  ]);
  await expect(page.getByText('Updates every 10 s until you stop')).toBeVisible();
  await expect(page).toHaveURL(/[?&]symbols=OPTA(&|$)/);
});

test('an invalid filter in a link is shown with its explanation and not applied', async ({ page }) => {
  await feedControl.set(symbolFeedPath('FILB'), symbolFeed('FILB', [item('filb-1', 'FILB steady', minutesAgo(15))]));
  await page.goto(`${dashboardPath('FILB')}&q=${encodeURIComponent('"open')}`);
  await expect(filterBox(page)).toHaveValue('"open');
  await expect(page.getByRole('form', { name: 'Filter articles' }).getByRole('alert')).toContainText('unbalanced double quote');
  // The headlines load unfiltered (single symbol, no q: works on any server version).
  await expect(newsList(page).getByRole('link', { name: /FILB steady/ })).toBeVisible();
});

test('the watchlist comes from the link and is remembered in this browser', async ({ page }) => {
  // Needs the watchlist API (symbols=, contract §6.3) for the two-symbol headlines.
  await feedControl.set(symbolFeedPath('RECA'), symbolFeed('RECA', [item('reca-1', 'RECA headline', minutesAgo(5))]));
  await feedControl.set(symbolFeedPath('RECB'), symbolFeed('RECB', [item('recb-1', 'RECB headline', minutesAgo(5))]));
  await page.goto('/dashboard?symbol=reca');
  await expect(page.getByRole('heading', { name: 'Headlines for RECA' })).toBeVisible();
  await expect(newsList(page).getByRole('link', { name: /RECA headline/ })).toBeVisible();
  await addSymbols(page, 'RECB');
  await expect(newsList(page).getByRole('link', { name: /RECB headline/ })).toBeVisible();
  await expect(newsList(page).getByRole('link', { name: /RECA headline/ })).toBeVisible();
  await expect(page).toHaveURL(/[?&]symbols=RECA,RECB(&|$)/);

  await page.reload();
  expect(await chipSymbols(page)).toEqual(['RECA', 'RECB']);
  // A plain /dashboard opens the list last used here, and puts it in the address bar.
  await page.goto('/dashboard');
  await expect.poll(() => chipSymbols(page)).toEqual(['RECA', 'RECB']);
  await expect(page).toHaveURL(/[?&]symbols=RECA,RECB(&|$)/);
  await expect(newsList(page).getByRole('link', { name: /RECB headline/ })).toBeVisible();
  // A link naming symbols wins over the saved list.
  await page.goto('/dashboard?symbol=RECB');
  expect(await chipSymbols(page)).toEqual(['RECB']);
  await expect(newsList(page).getByRole('link', { name: /RECA headline/ })).toHaveCount(0);
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
  await expect(page.getByTestId('snapshot-error')).toContainText('Headlines could not be loaded. The server is busy right now. Feeds unavailable. Try again shortly.');
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
