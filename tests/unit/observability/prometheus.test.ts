import { describe, expect, it } from 'vitest';
import { metrics, countRefusal, recordRedisError } from '@/lib/observability/metrics';
import { updateFeedGauge } from '@/lib/observability/feed-observer';
import { trackStream } from '@/lib/observability/active-streams';
import { parsePrometheusText, sampleValue } from '@/tests/integration/ops/prometheus-text';

describe('Prometheus exposition validator', () => {
  const valid = [
    '# HELP a_total Things.',
    '# TYPE a_total counter',
    'a_total{x="1",y="q\\"uo\\\\te\\n"} 3',
    '# TYPE h histogram',
    'h_bucket{le="0.5"} 1',
    'h_bucket{le="+Inf"} 2',
    'h_sum 0.7',
    'h_count 2',
    '',
  ].join('\n');

  it('accepts well-formed text and decodes label escapes', () => {
    const families = parsePrometheusText(valid);
    expect(families.get('a_total')?.type).toBe('counter');
    expect(families.get('a_total')?.samples[0]?.labels.y).toBe('q"uo\\te\n');
    expect(families.get('h')?.samples).toHaveLength(4);
  });

  it.each([
    ['no trailing newline', valid.trimEnd()],
    ['bad metric name', '1abc 1\n'],
    ['bad value', 'a 1x\n'],
    ['unterminated label', 'a{x="1} 1\n'],
    ['bad escape', 'a{x="\\t"} 1\n'],
    ['duplicate series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['second TYPE', '# TYPE a gauge\n# TYPE a gauge\na 1\n'],
    ['interleaved families', 'a 1\nb 1\na{x="2"} 1\n'],
    ['negative counter', '# TYPE c_total counter\nc_total -1\n'],
    ['histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['non-cumulative buckets', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['+Inf differs from count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ['reserved label', 'a{__name__="x"} 1\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

describe('metrics registry', () => {
  it('renders valid exposition with every family the issue lists, and counters move', async () => {
    const m = metrics();
    const untrack = trackStream('sse');
    m.streamsStarted.inc({ endpoint: 'sse', kind: 'new' });
    m.feedFetchDuration.observe({ source: 'Example', scope: 'market' }, 0.3);
    m.feedFetches.inc({ source: 'Example', scope: 'market', outcome: 'ok' });
    countRefusal('sse', 'rate-limit');
    recordRedisError('upstash', 'evalsha');
    updateFeedGauge([
      { source: 'Example', scope: 'market', state: 'healthy', subscribers: 1 },
      { source: 'Example', scope: 'market', state: 'healthy', subscribers: 3 },
      // Kept idle, polled by nobody: not a feed polled now, and no alert for it.
      { source: 'Example', scope: 'market', state: 'healthy', subscribers: 0 },
      { source: 'Idle', scope: 'symbol', state: 'failing', subscribers: 0 },
    ]);
    const families = parsePrometheusText(await m.registry.metrics());
    untrack();
    for (const name of [
      'market_pulse_streams_open',
      'market_pulse_streams_started_total',
      'market_pulse_streams_ended_total',
      'market_pulse_stream_events_sent_total',
      'market_pulse_feed_fetches_total',
      'market_pulse_feed_fetch_duration_seconds',
      'market_pulse_guard_refusals_total',
      'market_pulse_redis_errors_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(sampleValue(families, 'market_pulse_streams_open', { endpoint: 'sse' })).toBe(1);
    expect(sampleValue(families, 'market_pulse_streams_started_total', { endpoint: 'sse', kind: 'new' })).toBe(1);
    expect(sampleValue(families, 'market_pulse_guard_refusals_total', { endpoint: 'sse', reason: 'rate-limit' })).toBe(1);
    expect(sampleValue(families, 'market_pulse_redis_errors_total', { store: 'upstash', operation: 'evalsha' })).toBe(1);
    expect(sampleValue(families, 'market_pulse_feeds', { source: 'Example', state: 'healthy' })).toBe(2);
    expect(sampleValue(families, 'market_pulse_feeds', { source: 'Idle', state: 'failing' })).toBeUndefined();
    expect(sampleValue(families, 'market_pulse_feed_fetch_duration_seconds_count', { source: 'Example' })).toBe(1);
    expect(sampleValue(families, 'market_pulse_feed_fetch_duration_seconds_bucket', { source: 'Example', le: '0.25' })).toBe(0);
    expect(sampleValue(families, 'market_pulse_feed_fetch_duration_seconds_bucket', { source: 'Example', le: '0.5' })).toBe(1);
  });

  it('is one registry per process even if the module is loaded twice', () => {
    expect(metrics()).toBe(metrics());
    const stored = (globalThis as unknown as Record<symbol, unknown>)[Symbol.for('market-pulse.metrics')];
    expect(stored).toBe(metrics());
  });
});
