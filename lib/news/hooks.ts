import type { LoadOutcome } from './load-feed';

/**
 * What the news layer reports as it works, for whoever wants to watch (lib/stream/hub.ts wires
 * lib/observability's logs, metrics and spans in). The news layer itself imports no observer.
 */
export interface FeedLabel {
  /** The feed URL with credentials redacted: safe for logs and the operators' health view. */
  url: string;
  source: string;
  scope: 'symbol' | 'market';
}

export interface NewsHooks {
  /** Wraps one fetch-and-parse round of a feed (timing, spans, counters). */
  fetch(feed: FeedLabel, run: () => Promise<LoadOutcome>): Promise<LoadOutcome>;
  /** A round this process made failed (`failures` in a row so far). */
  failing(feed: FeedLabel, failure: { kind: string; message: string; failures: number; backoffMs: number }): void;
  /** The first success after failures. */
  recovered(feed: FeedLabel, recovery: { failures: number; failingSince: number; lastErrorKind?: string }): void;
}

export const quietHooks: NewsHooks = {
  fetch: (_feed, run) => run(),
  failing: () => {},
  recovered: () => {},
};
