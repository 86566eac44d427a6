import type { Article, FeedWarning } from '@/lib/contract/article';
import type { SnapshotParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { newsHub } from './hub';

export interface MarketNews {
  symbol: string;
  fetchedAt: string;
  articles: Article[];
  warnings: FeedWarning[];
  demo: boolean;
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
