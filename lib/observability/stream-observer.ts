import { processSingleton } from '@/lib/runtime/process-singleton';
import { log } from './logger';
import { metrics, type Endpoint, type StreamEndReason } from './metrics';
import { markSpanError, startSpan } from './tracing';

export interface StreamInfo {
  endpoint: Endpoint;
  streamId: string;
  requestId: string;
  symbol: string;
  resumed: boolean;
  interval?: number;
  duration?: number;
}

/** The little of a stream event this module needs (lib/stream's events satisfy it). */
export interface ObservedEvent {
  type: string;
  articles?: readonly unknown[];
  warnings?: readonly unknown[];
  message?: string;
}

export interface StreamObserver {
  /** Counts one event (and the articles it carries) as sent. */
  sent(event: ObservedEvent): void;
  /** Ends the stream's log, metrics and span; only the first call counts. */
  end(reason: StreamEndReason): void;
}

type Counter = { inc(value?: number): void };
type Observed = { observe(value: number): void };

interface EndpointMetrics {
  started(kind: 'new' | 'resumed'): Counter;
  sent(type: string): Counter;
  articles: Counter;
  ended(reason: StreamEndReason): Counter;
  duration(reason: StreamEndReason): Observed;
}

/**
 * An endpoint's stream metrics with their labels bound once: prom-client hashes a label set on
 * every call, which for every event, start and end of thousands of streams showed in CPU profiles.
 */
const bound = processSingleton('stream-metrics-by-endpoint', () => new Map<Endpoint, EndpointMetrics>());

function endpointMetrics(endpoint: Endpoint): EndpointMetrics {
  let found = bound.get(endpoint);
  if (!found) {
    const m = metrics();
    found = {
      started: byLabel((kind) => m.streamsStarted.labels({ endpoint, kind })),
      sent: byLabel((type) => m.eventsSent.labels({ endpoint, type })),
      articles: m.articlesDelivered.labels({ endpoint }),
      ended: byLabel((reason) => m.streamsEnded.labels({ endpoint, reason })),
      duration: byLabel((reason) => m.streamDuration.labels({ endpoint, reason })),
    };
    bound.set(endpoint, found);
  }
  return found;
}

/** One child per label value, made on first use (the values are a small fixed set). */
function byLabel<T>(make: (value: string) => T): (value: string) => T {
  const children = new Map<string, T>();
  return (value) => {
    let child = children.get(value);
    if (child === undefined) children.set(value, (child = make(value)));
    return child;
  };
}

/**
 * The lifecycle of one stream as an operator sees it: `stream.started` / `stream.resumed` and
 * `stream.ended` (reason, duration, articles delivered) at info, the started/ended counters,
 * events and articles sent, and a `stream` span covering its whole life. Per-event lines are
 * debug only.
 */
export function observeStream(info: StreamInfo): StreamObserver {
  const startedAt = Date.now();
  const m = endpointMetrics(info.endpoint);
  const base = { requestId: info.requestId, streamId: info.streamId, endpoint: info.endpoint, symbol: info.symbol };
  let articles = 0;
  let events = 0;
  let lastError: string | undefined;
  let ended = false;

  m.started(info.resumed ? 'resumed' : 'new').inc();
  if (log.enabled('info')) log.info(info.resumed ? 'stream.resumed' : 'stream.started', { ...base, interval: info.interval, duration: info.duration });
  const span = startSpan('stream', {
    'market_pulse.endpoint': info.endpoint,
    'market_pulse.stream.id': info.streamId,
    'market_pulse.symbol': info.symbol,
    'market_pulse.stream.resumed': info.resumed,
  });

  const sent = (event: ObservedEvent) => {
    events++;
    m.sent(event.type).inc();
    if (event.type === 'news') {
      const count = event.articles?.length ?? 0;
      articles += count;
      m.articles.inc(count);
      if (log.enabled('debug')) log.debug('stream.news', { ...base, articles: count, warnings: event.warnings?.length ?? 0 });
    } else if (event.type === 'error') {
      lastError = event.message;
    }
  };

  return {
    sent,
    end(reason) {
      if (ended) return;
      ended = true;
      const durationMs = Date.now() - startedAt;
      m.ended(reason).inc();
      m.duration(reason).observe(durationMs / 1000);
      const level = reason === 'error' ? 'warn' : 'info';
      if (log.enabled(level)) {
        const fields = { ...base, reason, durationMs, articlesDelivered: articles, eventsSent: events, ...(lastError ? { error: lastError } : {}) };
        log[level]('stream.ended', fields);
      }
      span.setAttributes({ 'market_pulse.stream.end_reason': reason, 'market_pulse.stream.articles': articles });
      if (reason === 'error') markSpanError(span, lastError ?? 'stream failed');
      span.end();
    },
  };
}
