import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeFeed, type FeedSpec } from '@/lib/news/feeds';
import { observeFeedFetch, reportFeedFailure, reportFeedRecovered } from '@/lib/observability/feed-observer';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';
import { requestIdOf } from '@/lib/observability/request-id';
import { observeStream } from '@/lib/observability/stream-observer';
import { tracingConfigured } from '@/lib/observability/tracing-config';
import type { StreamEvent } from '@/lib/stream/events';

let lines: Array<Record<string, unknown>>;
const savedLevel = process.env.LOG_LEVEL;

beforeEach(() => {
  lines = [];
  const capture = (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>);
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => {
  vi.restoreAllMocks();
  if (savedLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = savedLevel;
});

describe('logger', () => {
  it('writes one JSON object with time, level and event, honouring LOG_LEVEL', () => {
    process.env.LOG_LEVEL = 'warn';
    log.info('hidden');
    log.warn('shown', { n: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', event: 'shown', n: 1 });
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
    process.env.LOG_LEVEL = 'nonsense';
    log.debug('hidden');
    log.info('shown at default info');
    // A name on Object's prototype is nonsense too, not a threshold that lets every line through.
    process.env.LOG_LEVEL = 'constructor';
    log.debug('hidden');
    expect(lines.map((l) => l.event)).toEqual(['shown', 'shown at default info']);
  });

  it('redacts credential fields, serialises errors, survives circular fields', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    log.info('a', { headers: { authorization: 'Bearer s3cret', 'x-api-key': 's3cret' }, token: 's3cret', err: new Error('boom') });
    log.info('b', { circular });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(lines[0]?.err).toEqual({ name: 'Error', message: 'boom' });
    expect(lines[1]?.event).toBe('b');
  });
});

describe('feed observer', () => {
  const feed: FeedSpec = { key: 'k', url: 'https://user:pw@feeds.example.com/rss?s=TSLA&apikey=SECRET1&token=SECRET2', source: 'Example', scope: 'symbol' };
  // What the poller hands its hooks: the URL already described for operators.
  const spec = { url: describeFeed(feed.url), source: feed.source, scope: feed.scope };

  it('describes feeds without credentials', () => {
    const described = describeFeed(feed.url);
    expect(described).toBe('https://feeds.example.com/rss?s=TSLA&apikey=redacted&token=redacted');
    expect(describeFeed('https://f.example/x?s=TSLA&k=1&code=2&hash=3&jwt=4&private=5')).toBe(
      'https://f.example/x?s=TSLA&k=redacted&code=redacted&hash=redacted&jwt=redacted&private=redacted',
    );
    expect(describeFeed('demo:TSLA')).toBe('demo:TSLA');
    expect(describeFeed('not a url')).toBe('invalid feed URL');
  });

  it('logs failing at the first failure, backed off at the second, then only debug, and recovery once', () => {
    process.env.LOG_LEVEL = 'info';
    for (let failures = 1; failures <= 4; failures++) reportFeedFailure(spec, { kind: 'http', message: 'feed answered HTTP 500', failures, backoffMs: 1000 * failures });
    reportFeedRecovered(spec, { failures: 4, failingSince: Date.now() - 5000, lastErrorKind: 'http' });
    expect(lines.map((l) => [l.level, l.event])).toEqual([
      ['warn', 'feed.failing'],
      ['warn', 'feed.backed_off'],
      ['info', 'feed.recovered'],
    ]);
    expect(lines[0]).toMatchObject({ source: 'Example', errorKind: 'http', failures: 1, backoffMs: 1000 });
    expect(lines[2]).toMatchObject({ failures: 4, lastErrorKind: 'http' });
    expect(Number(lines[2]?.downForMs)).toBeGreaterThanOrEqual(5000);
    expect(JSON.stringify(lines)).not.toMatch(/SECRET|pw@/);
  });

  it('counts fetches by outcome and logs them at debug only', async () => {
    process.env.LOG_LEVEL = 'debug';
    const m = metrics();
    const before = (await m.feedFetches.get()).values.find((v) => v.labels.outcome === 'timeout' && v.labels.source === 'Example')?.value ?? 0;
    await observeFeedFetch(spec, async () => ({ kind: 'error', errorKind: 'timeout', message: 'feed did not answer within 5000 ms' }));
    await observeFeedFetch(spec, async () => ({ kind: 'error', errorKind: 'aborted', message: 'request cancelled' }));
    const after = (await m.feedFetches.get()).values.find((v) => v.labels.outcome === 'timeout' && v.labels.source === 'Example')?.value ?? 0;
    expect(after - before).toBe(1);
    expect((await m.feedFetches.get()).values.some((v) => v.labels.outcome === 'aborted')).toBe(false);
    expect(lines.filter((l) => l.event === 'feed.fetch').map((l) => l.level)).toEqual(['debug', 'debug']);
  });
});

describe('stream observer', () => {
  const at = { cursor: 'c', timestamp: new Date().toISOString() };
  const events: StreamEvent[] = [
    { ...at, type: 'connected', progress: 0, streamId: 's1', symbols: ['TSLA'], watchlist: false, endsAt: at.timestamp, resumed: false, demo: false },
    { ...at, type: 'news', progress: 0.5, symbols: ['TSLA'], watchlist: false, articles: [{ id: 'a' }, { id: 'b' }] as never, warnings: [] },
    { ...at, type: 'complete', progress: 1, delivered: 2 },
  ];

  it('logs started and ended with reason, duration and articles delivered; ends once', async () => {
    process.env.LOG_LEVEL = 'info';
    const observer = observeStream({ endpoint: 'sse', streamId: 's1', requestId: 'r1', symbol: 'TSLA', resumed: false, interval: 1000, duration: 5000 });
    for (const event of events) observer.sent(event);
    observer.end('complete');
    observer.end('error');
    expect(lines.map((l) => l.event)).toEqual(['stream.started', 'stream.ended']);
    expect(lines[1]).toMatchObject({ requestId: 'r1', streamId: 's1', endpoint: 'sse', reason: 'complete', articlesDelivered: 2, eventsSent: 3 });
    expect(typeof lines[1]?.durationMs).toBe('number');
  });
});

describe('request ids and tracing switch', () => {
  it('uses a safe platform request id, else a fresh UUID', () => {
    expect(requestIdOf(new Request('http://x/', { headers: { 'x-vercel-id': 'fra1::abc-123' } }))).toBe('fra1::abc-123');
    const injected = requestIdOf(new Request('http://x/', { headers: { 'x-request-id': 'a"} {"evil":1' } }));
    expect(injected).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('registers OpenTelemetry only when an exporter is configured and the SDK is not disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ VERCEL_OTEL_ENDPOINTS: '{}' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});
