import { isDemoMode } from '@/lib/news/feeds';
import { newsHub } from '@/lib/news/news-hub';
import { activeStreamCount } from '@/lib/streams/active-streams';

/**
 * What /api/health?detail=1 adds for operators (contract §4): streams per endpoint, memory, and
 * per-feed health. Feed URLs appear here only with credentials redacted, and only behind the key.
 */
/** Per-symbol feeds make one entry per symbol watched: list the worst ones, count them all. */
const MAX_FEEDS_LISTED = 200;

export function healthDetail() {
  const feeds = newsHub()
    .feedHealth()
    .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || a.feed.localeCompare(b.feed));
  const count = (state: string) => feeds.filter((f) => f.state === state).length;
  const memory = process.memoryUsage();
  return {
    streams: { sse: activeStreamCount('sse'), mcp: activeStreamCount('mcp') },
    memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, externalBytes: memory.external },
    demo: isDemoMode(),
    feedSummary: {
      total: feeds.length,
      healthy: count('healthy'),
      failing: count('failing'),
      backedOff: count('backed-off'),
      pending: count('pending'),
    },
    feeds: feeds.slice(0, MAX_FEEDS_LISTED),
    ...(feeds.length > MAX_FEEDS_LISTED ? { feedsOmitted: feeds.length - MAX_FEEDS_LISTED } : {}),
  };
}
