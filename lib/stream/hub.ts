import { settings } from '@/lib/config/settings';
import { NewsHub } from '@/lib/news/hub/news-hub';
import type { NewsHooks } from '@/lib/news/hooks';
import { redisLink } from '@/lib/news/shared/redis-link';
import { HostBudget } from '@/lib/news/poll/host-budget';
import { sharedBudget } from '@/lib/news/shared/shared-budget';
import { SharedFeeds } from '@/lib/news/shared/shared-feeds';
import { observeFeedFetch, reportFeedFailure, reportFeedRecovered } from '@/lib/observability/feed-observer';
import { processSingleton } from '@/lib/runtime/process-singleton';

/** Where the news layer's reports go: logs, metrics and spans. */
const observedHooks: NewsHooks = {
  fetch: observeFeedFetch,
  failing: reportFeedFailure,
  recovered: reportFeedRecovered,
};

/**
 * The process's news hub, wired here (the one place that knows both the news layer and its
 * observers); shared with the other instances through Redis when REDIS_URL or Upstash is set.
 */
export function newsHub(): NewsHub {
  return processSingleton('news-hub', () => {
    const link = redisLink();
    const { newsMinPollMs, maxActiveSymbols, newsHostMaxRps, newsFetchTimeoutMs } = settings();
    return new NewsHub({
      minPollMs: newsMinPollMs,
      maxSymbols: maxActiveSymbols,
      shared: link ? new SharedFeeds(link) : undefined,
      // A granted request is answered within the fetch timeout; the slack covers a stalled event loop before it leaves.
      budget: new HostBudget(newsHostMaxRps, link ? sharedBudget(link, newsFetchTimeoutMs + 5_000) : undefined),
      hooks: observedHooks,
    });
  });
}
