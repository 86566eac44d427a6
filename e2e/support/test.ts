import { expect, test as base, type Page, type Request } from '@playwright/test';

export { expect };

export const appUrl = (): string => {
  const url = process.env.E2E_APP_URL;
  if (!url) throw new Error('E2E_APP_URL is not set: run through playwright.config.ts (its globalSetup starts the app)');
  return url;
};

/** Short streams keep the suite fast; the dashboard takes them from its URL (lib/dashboard/stream-options.ts). */
export function dashboardPath(symbol: string, durationMs = 8_000, intervalMs = 1_000): string {
  return `/dashboard?symbol=${encodeURIComponent(symbol)}&interval=${intervalMs}&duration=${durationMs}`;
}

/** A watchlist view that stays live until Stop (no `duration`: open-ended, chained streams). */
export function liveUntilStopPath(symbols: readonly string[], intervalMs = 1_000, q?: string): string {
  const params = new URLSearchParams({ [symbols.length === 1 ? 'symbol' : 'symbols']: symbols.join(','), interval: String(intervalMs) });
  if (q) params.set('q', q);
  return `/dashboard?${params}`;
}

export async function activeStreams(base = appUrl()): Promise<number> {
  const res = await fetch(`${base}/api/health`);
  return ((await res.json()) as { activeStreams: number }).activeStreams;
}

/** Every request the page makes to `pathname` from now on, in order. */
export function recordRequests(page: Page, pathname: string): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === pathname) seen.push(r);
  });
  return seen;
}

/** Every request the page makes for the SSE endpoint, in order. */
export const recordStreamRequests = (page: Page): Request[] => recordRequests(page, '/api/mcp/stream-news');

export const status = (page: Page) => page.getByTestId('stream-status');
export const progressBar = (page: Page) => page.getByRole('progressbar', { name: 'Stream progress' });
export const newsList = (page: Page) => page.getByRole('list', { name: /newest first/ });
export const startButton = (page: Page) => page.getByRole('button', { name: 'Start Live News Stream' });
export const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop Stream' });
export const addSymbolBox = (page: Page) => page.getByRole('textbox', { name: 'Add symbol' });
export const addButton = (page: Page) => page.getByRole('button', { name: 'Add', exact: true });
export const removeButton = (page: Page, symbol: string) => page.getByRole('button', { name: `Remove ${symbol}`, exact: true });
export const filterBox = (page: Page) => page.getByRole('textbox', { name: 'Filter' });
export const watchedSymbols = (page: Page) => page.getByRole('list', { name: 'Watched symbols' }).locator('li[data-symbol]');
export const watchlistAlert = (page: Page) => page.getByRole('form', { name: 'Watchlist' }).getByRole('alert');
export const awayNotice = (page: Page) => page.getByTestId('away-notice');

/** Adds symbols through the UI, as a user types them. */
export async function addSymbols(page: Page, text: string): Promise<void> {
  await addSymbolBox(page).fill(text);
  await addButton(page).click();
}

/** The tickers of the watchlist chips, in order. */
export async function chipSymbols(page: Page): Promise<string[]> {
  return watchedSymbols(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-symbol') ?? ''));
}

export async function progressNow(page: Page): Promise<number> {
  return Number(await progressBar(page).getAttribute('aria-valuenow'));
}

/** How often each article id is listed; every value must be 1. */
export async function listedIdCounts(page: Page): Promise<Map<string, number>> {
  const ids = await newsList(page).locator('li[data-article-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-article-id') ?? ''));
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export async function expectNoDuplicates(page: Page): Promise<void> {
  const repeated = [...(await listedIdCounts(page))].filter(([, n]) => n > 1);
  expect(repeated, 'articles listed more than once').toEqual([]);
}

export const test = base.extend({
  // The app's port is chosen by the global setup, so it cannot be written into the config.
  baseURL: async ({}, provide) => provide(appUrl()),
});
