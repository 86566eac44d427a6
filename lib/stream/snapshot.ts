import type { Article, FeedWarning } from '@/lib/contract/article';
import type { SnapshotParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { admitSnapshot } from '@/lib/guard/admit-snapshot';
import { claimSymbols } from './capacity';
import { sinceRefusal } from './coverage';
import { newStreamId, processEpoch, scopeOf } from './cursor';
import { cursorCodec } from './cursor-keys';
import { catchUp, deliveredBefore, frontier, takeNew, type StartAfter } from './delivery';
import { newsHub } from './hub';
import { passesFilters } from './selection';
import type { StartRefusal } from './session';

export interface MarketNews {
  symbols: string[];
  watchlist: boolean;
  fetchedAt: string;
  articles: Article[];
  warnings: FeedWarning[];
  demo: boolean;
  /** A `since` answer that left older missed articles out. */
  truncated?: boolean;
  /** Pass as `since` to continue after this snapshot. */
  cursor: string;
}

export type SnapshotOutcome = { ok: true; news: MarketNews; headers: Record<string, string> } | { ok: false; refusal: StartRefusal };

/**
 * The latest headlines, or what arrived after `since`, for `/api/news` and get_market_news: a
 * place for the symbols (503 when the server is at capacity), the client's snapshot limit (429),
 * a `since` the history still covers (400), then at most one fetch timeout of waiting for feeds.
 */
export async function marketNewsFor(
  request: Request | undefined,
  endpoint: 'news' | 'mcp',
  params: SnapshotParams,
  after: StartAfter | undefined,
  signal: AbortSignal,
): Promise<SnapshotOutcome> {
  const claimed = claimSymbols(request, endpoint, params.symbols);
  if (!claimed.ok) return claimed;
  try {
    const admission = request ? await admitSnapshot(request, endpoint) : { ok: true as const, headers: {} };
    if (!admission.ok) return { ok: false, refusal: admission };
    // After admission: checking the history may fetch feeds, which a client over its limit must not cause.
    const tooOld = await sinceRefusal(params.symbols, after, signal);
    if (tooOld) return { ok: false, refusal: tooOld };
    return { ok: true, news: await getMarketNews(params, after, signal), headers: admission.headers };
  } finally {
    claimed.release();
  }
}

async function getMarketNews(params: SnapshotParams, after: StartAfter | undefined, signal: AbortSignal): Promise<MarketNews> {
  const subscription = newsHub().subscribe(params.symbols, settings().newsMinPollMs);
  try {
    await subscription.ready(signal, settings().newsFetchTimeoutMs + 1000);
    const feedKeys = subscription.feedKeys();
    const delivered = after ? deliveredBefore(after, feedKeys) : {};
    const batch = takeNew(subscription, delivered, passesFilters(params));
    const picked = after ? catchUp(batch.articles) : { articles: batch.articles.slice(0, params.limit), truncated: false };
    const snapshot = subscription.snapshot();
    const now = Date.now();
    const cursor = (await cursorCodec()).encode({
      streamId: newStreamId(),
      startedAt: now,
      endsAt: now + 1,
      at: now,
      epoch: processEpoch(),
      seq: batch.cursor,
      scope: scopeOf(params.symbols),
      shared: frontier(delivered, feedKeys, batch.marks),
    });
    return {
      symbols: params.symbols,
      watchlist: params.watchlist,
      fetchedAt: snapshot.fetchedAt,
      articles: picked.articles,
      warnings: batch.warnings,
      demo: snapshot.demo,
      ...(picked.truncated ? { truncated: true } : {}),
      cursor,
    };
  } finally {
    subscription.close();
  }
}
