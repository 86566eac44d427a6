import { settings } from '@/lib/config/settings';
import { HISTORY_WINDOW_MS } from '@/lib/news/poll/history';
import type { StartAfter } from './delivery';
import { newsHub } from './hub';

/** The 400 for a `since` the history no longer covers (contract §6.2). */
export type SinceTooOld = { ok: false; status: 400; message: string; field: string; reason: 'since-too-old' };

/**
 * The refusal for a `since` the article history no longer covers, or undefined when it does (or
 * there is none). Call it after admission: checking the history may fetch feeds.
 */
export async function sinceRefusal(symbols: readonly string[], after: StartAfter | undefined, signal: AbortSignal): Promise<SinceTooOld | undefined> {
  if (!after) return undefined;
  const since = 'cursor' in after ? after.cursor.at : after.time;
  if (await historyCovers(symbols, since, signal)) return undefined;
  return { ok: false, status: 400, message: tooOldMessage(), field: 'since', reason: 'since-too-old' };
}

/**
 * Whether the article history still holds everything that arrived after `at` for these symbols
 * (contract §6.2): at most HISTORY_WINDOW_MS back, and no feed has lost anything since (a kept
 * article dropped, or a feed that turned over between fetches). Feeds not fetched yet are fetched
 * first, at most one fetch timeout.
 */
async function historyCovers(symbols: readonly string[], at: number, signal: AbortSignal): Promise<boolean> {
  if (at < Date.now() - HISTORY_WINDOW_MS) return false;
  const subscription = newsHub().subscribe(symbols, settings().newsMinPollMs);
  try {
    await subscription.ready(signal, settings().newsFetchTimeoutMs + 1000);
    return at >= subscription.coveredSince();
  } finally {
    subscription.close();
  }
}

/** Names `since` and says where to continue from. */
function tooOldMessage(): string {
  return `since is older than the article history (the last ${HISTORY_WINDOW_MS / 3_600_000} hours, at most as far back as the feeds were followed): get the latest headlines (GET /api/news, or the get_market_news tool) and continue from their cursor`;
}
