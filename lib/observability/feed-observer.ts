import type { FeedHealth } from '@/lib/news/feed-poller';
import type { FeedSpec } from '@/lib/news/feeds';
import type { LoadOutcome } from '@/lib/news/load-feed';
import { log } from './logger';
import { metrics } from './metrics';
import { inSpan, markSpanError } from './tracing';

/** Query parameters whose values are credentials in common feed APIs. */
const SECRET_PARAM = /key|token|secret|sig|auth|pass|pwd|credential|session/i;

/**
 * A feed URL fit for logs and the key-protected health detail: user-info dropped and
 * credential-looking query values replaced, so a feed URL carrying an API key does not leak it.
 */
export function describeFeed(url: string): string {
  if (url.startsWith('demo:')) return url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.hash = '';
    for (const name of [...new Set(parsed.searchParams.keys())]) {
      if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, 'redacted');
    }
    return parsed.toString();
  } catch {
    return 'invalid feed URL';
  }
}

function outcomeName(outcome: LoadOutcome): string {
  if (outcome.kind === 'articles') return 'ok';
  if (outcome.kind === 'unchanged') return 'not-modified';
  return outcome.errorKind;
}

/**
 * Wraps one feed round (fetch + parse): a `feed.fetch` span, the fetch counter and latency
 * histogram, and a debug log line. Rounds cancelled because the last subscriber left are not
 * counted: they say nothing about the feed.
 */
export async function observeFeedFetch(spec: FeedSpec, run: () => Promise<LoadOutcome>): Promise<LoadOutcome> {
  const feed = describeFeed(spec.url);
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

interface Failure {
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
export function reportFeedFailure(spec: FeedSpec, failure: Failure): void {
  const fields = {
    feed: describeFeed(spec.url),
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
export function reportFeedRecovered(
  spec: FeedSpec,
  recovery: { failures: number; failingSince: number; lastErrorKind?: string },
): void {
  log.info('feed.recovered', {
    feed: describeFeed(spec.url),
    source: spec.source,
    scope: spec.scope,
    failures: recovery.failures,
    lastErrorKind: recovery.lastErrorKind,
    downForMs: recovery.failingSince ? Date.now() - recovery.failingSince : undefined,
  });
}

/** Sets the per-state feed gauge from the hub's view; called at scrape time. */
export function updateFeedGauge(feeds: readonly FeedHealth[]): void {
  const gauge = metrics().feeds;
  gauge.reset();
  for (const f of feeds) gauge.inc({ source: f.source, scope: f.scope, state: f.state });
}
