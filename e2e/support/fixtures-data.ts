import { rssFeed, type FeedItem, type FeedServer } from '../../tests/support/feed-server';

/**
 * Environment of the app under test. Limits are off here (every stream comes from 127.0.0.1, and
 * the suite starts more than 10 a minute); the refusal test starts its own app with limits on.
 */
export const APP_ENV = {
  NEWS_MIN_POLL_MS: '1000',
  NEWS_FETCH_TIMEOUT_MS: '2000',
  STREAM_HEARTBEAT_MS: '2000',
  STREAM_MAX_DURATION_MS: '120000',
  RATE_LIMIT_PER_MINUTE: '0',
  MAX_STREAMS_PER_CLIENT: '0',
  LOG_LEVEL: 'warn',
} as const;

/** One per-symbol feed (each test uses its own symbol, so tests never share fixtures) and one market feed. */
export const feedList = (base: string) => `${base}/sym/{symbol}.xml ${base}/market.xml`;
export const symbolFeedPath = (symbol: string) => `/sym/${encodeURIComponent(symbol)}.xml`;

export const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

export function item(id: string, title: string, published?: Date): FeedItem {
  return { id, title, link: `https://news.example.com/${id}`, published, summary: `<p>${title}, in detail.</p>` };
}

export const marketItems = [
  item('mkt-1', 'Stocks open higher as yields ease', minutesAgo(45)),
  item('mkt-2', 'Oil slips on supply outlook', minutesAgo(120)),
];

export function seedFeeds(feeds: FeedServer): void {
  feeds.set('/market.xml', rssFeed('Market Wire', marketItems));
}

export const symbolFeed = (symbol: string, items: readonly FeedItem[]) => rssFeed(`${symbol} headlines`, items);
