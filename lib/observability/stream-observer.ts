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

/**
 * The lifecycle of one stream as an operator sees it: `stream.started` / `stream.resumed` and
 * `stream.ended` (reason, duration, articles delivered) at info, the started/ended counters,
 * events and articles sent, and a `stream` span covering its whole life. Per-event lines are
 * debug only.
 */
export function observeStream(info: StreamInfo): StreamObserver {
  const startedAt = Date.now();
  const m = metrics();
  const base = { requestId: info.requestId, streamId: info.streamId, endpoint: info.endpoint, symbol: info.symbol };
  let articles = 0;
  let events = 0;
  let lastError: string | undefined;
  let ended = false;

  m.streamsStarted.inc({ endpoint: info.endpoint, kind: info.resumed ? 'resumed' : 'new' });
  if (log.enabled('info')) log.info(info.resumed ? 'stream.resumed' : 'stream.started', { ...base, interval: info.interval, duration: info.duration });
  const span = startSpan('stream', {
    'market_pulse.endpoint': info.endpoint,
    'market_pulse.stream.id': info.streamId,
    'market_pulse.symbol': info.symbol,
    'market_pulse.stream.resumed': info.resumed,
  });

  const sent = (event: ObservedEvent) => {
    events++;
    m.eventsSent.inc({ endpoint: info.endpoint, type: event.type });
    if (event.type === 'news') {
      const count = event.articles?.length ?? 0;
      articles += count;
      m.articlesDelivered.inc({ endpoint: info.endpoint }, count);
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
      m.streamsEnded.inc({ endpoint: info.endpoint, reason });
      m.streamDuration.observe({ endpoint: info.endpoint, reason }, durationMs / 1000);
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
