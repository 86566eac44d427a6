import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { appVersion } from '@/lib/config/settings';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { activeStreamCount, type Endpoint } from './active-streams';

/**
 * Prometheus metrics for /api/metrics (prom-client). Label values are always bounded sets: feeds
 * are labelled by source name and scope, never by URL or symbol, so a client asking for many
 * symbols cannot grow the series count.
 */
export type { Endpoint };
export type StreamEndReason = 'complete' | 'client-gone' | 'error';
export type RefusalReason = 'rate-limit' | 'concurrency' | 'capacity' | 'api-key' | 'origin' | 'host' | 'config';

function create() {
  const registry = new Registry();
  // Process memory, CPU, event-loop lag and heap: collected at scrape time, no timers.
  collectDefaultMetrics({ register: registry });

  const buildInfo = new Gauge({
    name: 'market_pulse_build_info',
    help: 'Always 1; the version label says which build is running.',
    labelNames: ['version'] as const,
    registers: [registry],
  });
  buildInfo.set({ version: appVersion }, 1);

  return {
    registry,
    streamsOpen: new Gauge({
      name: 'market_pulse_streams_open',
      help: 'Streams open now in this instance, by endpoint (sse = /api/mcp/stream-news, mcp = /api/mcp).',
      labelNames: ['endpoint'] as const,
      registers: [registry],
      collect() {
        this.set({ endpoint: 'sse' }, activeStreamCount('sse'));
        this.set({ endpoint: 'mcp' }, activeStreamCount('mcp'));
      },
    }),
    streamsStarted: new Counter({
      name: 'market_pulse_streams_started_total',
      help: 'Streams started, by endpoint and kind (new, or resumed with Last-Event-ID / since).',
      labelNames: ['endpoint', 'kind'] as const,
      registers: [registry],
    }),
    streamsEnded: new Counter({
      name: 'market_pulse_streams_ended_total',
      help: 'Streams ended, by endpoint and reason (complete, client-gone, error).',
      labelNames: ['endpoint', 'reason'] as const,
      registers: [registry],
    }),
    streamDuration: new Histogram({
      name: 'market_pulse_stream_duration_seconds',
      help: 'How long streams stayed open, by endpoint and end reason.',
      labelNames: ['endpoint', 'reason'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    eventsSent: new Counter({
      name: 'market_pulse_stream_events_sent_total',
      help: 'Stream events sent to clients, by endpoint and type (connected, news, complete, error).',
      labelNames: ['endpoint', 'type'] as const,
      registers: [registry],
    }),
    articlesDelivered: new Counter({
      name: 'market_pulse_articles_delivered_total',
      help: 'Articles delivered to stream clients, by endpoint.',
      labelNames: ['endpoint'] as const,
      registers: [registry],
    }),
    feedFetches: new Counter({
      name: 'market_pulse_feed_fetches_total',
      help: 'Upstream feed fetches by feed source, scope and outcome (ok, not-modified, or the error kind).',
      labelNames: ['source', 'scope', 'outcome'] as const,
      registers: [registry],
    }),
    feedFetchDuration: new Histogram({
      name: 'market_pulse_feed_fetch_duration_seconds',
      help: 'Upstream feed fetch latency including parsing, by feed source and scope.',
      labelNames: ['source', 'scope'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    feeds: new Gauge({
      name: 'market_pulse_feeds',
      help: 'Feeds this instance polls now (watched by a stream or call), by source, scope and state (pending, healthy, failing, backed-off).',
      labelNames: ['source', 'scope', 'state'] as const,
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'market_pulse_guard_refusals_total',
      help: 'Requests refused by the guard, by endpoint and reason (rate-limit, concurrency, capacity, api-key, origin, host, config).',
      labelNames: ['endpoint', 'reason'] as const,
      registers: [registry],
    }),
    redisErrors: new Counter({
      name: 'market_pulse_redis_errors_total',
      help: 'Failed shared-state (Redis / Upstash) operations, by store and operation.',
      labelNames: ['store', 'operation'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof create>;

/** One registry per process, or counters incremented by the stream route would never show in /api/metrics. */
export function metrics(): Metrics {
  return processSingleton('metrics', create);
}

/** For the guard: one refused request. Never pass the key or the client id as a label. */
export function countRefusal(endpoint: string, reason: RefusalReason): void {
  metrics().refusals.inc({ endpoint, reason });
}

/** For the shared-state layer: one failed Redis / Upstash operation. */
export function recordRedisError(store: string, operation: string): void {
  metrics().redisErrors.inc({ store, operation });
}
