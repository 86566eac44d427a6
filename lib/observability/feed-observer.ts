import { log } from './logger';
import { metrics } from './metrics';
import { inSpan, markSpanError } from './tracing';

/**
 * Feed fetches and feed state changes as operators see them. lib/news knows nothing of this module's
 * metrics and spans: the hub is given these functions as hooks when it is created (lib/stream/hub.ts).
 * The types below are the little of a feed this module needs; lib/news's own types satisfy them.
 */
export interface ObservedFeed {
  /** Already redacted by lib/news (describeFeed): this module never sees a credential. */
  url: string;
  source: string;
  scope: 'symbol' | 'market';
}

export type ObservedOutcome =
  | { kind: 'articles'; articles: readonly unknown[] }
  | { kind: 'unchanged' }
  | { kind: 'error'; errorKind: string; message: string };

function outcomeName(outcome: ObservedOutcome): string {
  if (outcome.kind === 'articles') return 'ok';
  if (outcome.kind === 'unchanged') return 'not-modified';
  return outcome.errorKind;
}

/**
 * Wraps one feed round (fetch + parse): a `feed.fetch` span, the fetch counter and latency
 * histogram, and a debug log line. Rounds cancelled because the last subscriber left are not
 * counted: they say nothing about the feed.
 */
export async function observeFeedFetch<O extends ObservedOutcome>(spec: ObservedFeed, run: () => Promise<O>): Promise<O> {
  const feed = spec.url;
  const attributes = { 'market_pulse.feed.source': spec.source, 'market_pulse.feed.scope': spec.scope, 'market_pulse.feed.url': feed };
  return inSpan('feed.fetch', attributes, async (span) => {
    const started = performance.now();
    const outcome = await run();
    const seconds = (performance.now() - started) / 1000;
    const result = outcomeName(outcome);
    span.setAttribute('market_pulse.feed.outcome', result);
    if (outcome.kind === 'error') markSpanError(span, outcome.message);
    if (result !== 'aborted') {
      const m = metrics();
      m.feedFetches.inc({ source: spec.source, scope: spec.scope, outcome: result });
      m.feedFetchDuration.observe({ source: spec.source, scope: spec.scope }, seconds);
    }
    log.debug('feed.fetch', {
      feed,
      source: spec.source,
      outcome: result,
      durationMs: Math.round(seconds * 1000),
      ...(outcome.kind === 'articles' ? { articles: outcome.articles.length } : {}),
      ...(outcome.kind === 'error' ? { error: outcome.message } : {}),
    });
    return outcome;
  });
}

export interface FeedFailure {
  kind: string;
  message: string;
  /** Consecutive failures including this one. */
  failures: number;
  /** Delay before the next attempt. */
  backoffMs: number;
}

/**
 * Feed state changes at warn, once each: healthy → failing (first failure), failing → backed off
 * (second failure: polling now slows down exponentially). Further failures are debug only, so a
 * feed that is down for an hour does not flood the logs.
 */
export function reportFeedFailure(spec: ObservedFeed, failure: FeedFailure): void {
  const fields = {
    feed: spec.url,
    source: spec.source,
    scope: spec.scope,
    errorKind: failure.kind,
    error: failure.message,
    failures: failure.failures,
    backoffMs: failure.backoffMs,
    retryAt: new Date(Date.now() + failure.backoffMs).toISOString(),
  };
  if (failure.failures === 1) log.warn('feed.failing', fields);
  else if (failure.failures === 2) log.warn('feed.backed_off', fields);
  else log.debug('feed.still_failing', fields);
}

/** Back to healthy: logged once, with how long the feed was down and what was wrong. */
export interface FeedRecovery {
  failures: number;
  failingSince: number;
  lastErrorKind?: string;
}

export function reportFeedRecovered(spec: ObservedFeed, recovery: FeedRecovery): void {
  log.info('feed.recovered', {
    feed: spec.url,
    source: spec.source,
    scope: spec.scope,
    failures: recovery.failures,
    lastErrorKind: recovery.lastErrorKind,
    downForMs: recovery.failingSince ? Date.now() - recovery.failingSince : undefined,
  });
}

/**
 * Sets the per-state feed gauge from the hub's view; called at scrape time. Only feeds polled now
 * (watched by a stream or call) count: one nobody watches is kept idle until evicted (up to 15
 * minutes), and a failing one would otherwise keep a "source down" alert firing for nobody.
 */
export function updateFeedGauge(feeds: ReadonlyArray<{ source: string; scope: string; state: string; subscribers: number }>): void {
  const gauge = metrics().feeds;
  gauge.reset();
  for (const f of feeds) if (f.subscribers > 0) gauge.inc({ source: f.source, scope: f.scope, state: f.state });
}
