import { settings } from '@/lib/config/settings';
import { HISTORY_WINDOW_MS } from '@/lib/news/poll/history';
import { newsHub } from './hub';

/**
 * Whether the article history still holds everything that arrived after `at` for these symbols
 * (contract §6.2): at most HISTORY_WINDOW_MS back, and no feed has lost anything since (a kept
 * article dropped, or a feed that turned over between fetches). Feeds not fetched yet are fetched
 * first, at most one fetch timeout.
 */
export async function historyCovers(symbols: readonly string[], at: number, signal: AbortSignal): Promise<boolean> {
  if (at < Date.now() - HISTORY_WINDOW_MS) return false;
  const subscription = newsHub().subscribe(symbols, settings().newsMinPollMs);
  try {
    await subscription.ready(signal, settings().newsFetchTimeoutMs + 1000);
    return at >= subscription.coveredSince();
  } finally {
    subscription.close();
  }
}

/** The 400 for a cursor the history no longer covers, naming `since`. */
export function tooOldMessage(field = 'since'): string {
  return `${field} is older than the article history (the last ${HISTORY_WINDOW_MS / 3_600_000} hours, at most as far back as the feeds were followed): get the latest headlines (GET /api/news, or the get_market_news tool) and continue from their cursor`;
}
