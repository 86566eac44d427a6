import type { Article, FeedWarning } from '@/lib/contract/article';
import type { SnapshotParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { admitSnapshot } from '@/lib/guard/admit-snapshot';
import type { Refusal } from '@/lib/guard/admit-stream';
import { claimSymbols } from './capacity';
import { newsHub } from './hub';

export interface MarketNews {
  symbol: string;
  fetchedAt: string;
  articles: Article[];
  warnings: FeedWarning[];
  demo: boolean;
}

export type SnapshotOutcome = { ok: true; news: MarketNews; headers: Record<string, string> } | { ok: false; refusal: Refusal };

/**
 * The latest headlines for a symbol, for `/api/news` and get_market_news: a place for the symbol
 * (503 when the server is at capacity), then the client's snapshot limit (429), then at most one
 * fetch timeout of waiting for feeds not fetched yet.
 */
export async function marketNewsFor(request: Request | undefined, endpoint: 'news' | 'mcp', params: SnapshotParams, signal: AbortSignal): Promise<SnapshotOutcome> {
  const claimed = claimSymbols(request, endpoint, [params.symbol]);
  if (!claimed.ok) return claimed;
  try {
    const admission = request ? await admitSnapshot(request, endpoint) : { ok: true as const, headers: {} };
    if (!admission.ok) return { ok: false, refusal: admission };
    return { ok: true, news: await getMarketNews(params, signal), headers: admission.headers };
  } finally {
    claimed.release();
  }
}

/** Latest headlines for a symbol, waiting at most one fetch timeout for feeds not fetched yet. */
export async function getMarketNews(params: SnapshotParams, signal: AbortSignal = new AbortController().signal): Promise<MarketNews> {
  const subscription = newsHub().subscribe(params.symbol, settings().newsMinPollMs);
  try {
    await subscription.ready(signal, settings().newsFetchTimeoutMs + 1000);
    const snapshot = subscription.snapshot();
    return {
      symbol: params.symbol,
      fetchedAt: snapshot.fetchedAt,
      articles: snapshot.articles.slice(0, params.limit).map((a) => a.article),
      warnings: snapshot.warnings,
      demo: snapshot.demo,
    };
  } finally {
    subscription.close();
  }
}
