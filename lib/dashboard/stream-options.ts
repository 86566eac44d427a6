import { z } from 'zod';
import { LIMITS } from '@/lib/contract/limits';

/**
 * Optional `interval`/`duration` overrides from the dashboard URL. With no (valid) `duration` the
 * session is open-ended: live until Stop, chaining streams of the server's maximum length. With one,
 * the user chose a fixed-length stream that ends with "Stream complete"; it is capped at the
 * server's STREAM_MAX_DURATION_MS, which the page knows, so a request the server would refuse is
 * never sent.
 */
export const DEFAULT_INTERVAL_MS = LIMITS.interval.default;

export interface StreamOptions {
  interval: number;
  /** ms, or null for an open-ended session. */
  duration: number | null;
  /** The server's STREAM_MAX_DURATION_MS. */
  maxDuration: number;
  /** The server's STREAM_HEARTBEAT_MS: the longest silence of a healthy stream. */
  heartbeat: number;
}

type Query = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const integer = z.coerce.number().int();
/** The link's `interval` and `duration` rules, for the options and for the notices about them. */
const linkInterval = integer.min(LIMITS.interval.min).max(LIMITS.interval.max);
const linkDuration = integer.min(LIMITS.duration.min);

export function streamOptionsFromQuery(query: Query, server: { maxDuration: number; heartbeat: number }): StreamOptions {
  const interval = linkInterval.catch(DEFAULT_INTERVAL_MS).parse(first(query.interval) ?? DEFAULT_INTERVAL_MS);
  const rawDuration = first(query.duration);
  const duration = rawDuration === undefined ? null : linkDuration.nullable().catch(null).parse(rawDuration);
  return {
    interval,
    duration: duration === null ? null : Math.min(duration, server.maxDuration),
    maxDuration: server.maxDuration,
    heartbeat: server.heartbeat,
  };
}

/**
 * What the page says about a link's `interval`/`duration` it could not use as written, one sentence
 * each; streamOptionsFromQuery falls back (or caps) without a word, and a user who typed
 * `interval=5` meaning seconds would otherwise wonder why updates come every 10 s.
 */
export function streamOptionNotices(query: Query, server: { maxDuration: number }): string[] {
  const notices: string[] = [];
  const interval = first(query.interval);
  if (interval !== undefined && !linkInterval.safeParse(interval).success) {
    notices.push(
      `The link's interval=${interval.slice(0, 20)} is not milliseconds from ${LIMITS.interval.min} to ${LIMITS.interval.max}: updates come every ${DEFAULT_INTERVAL_MS / 1000} s.`,
    );
  }
  const duration = first(query.duration);
  const parsed = duration === undefined ? undefined : linkDuration.safeParse(duration);
  if (duration !== undefined && !parsed?.success) {
    notices.push(`The link's duration=${duration.slice(0, 20)} is not milliseconds of at least ${LIMITS.duration.min}: the stream stays live until you stop it.`);
  } else if (parsed?.success && parsed.data > server.maxDuration) {
    notices.push(`The link's duration=${duration} is longer than this server allows: the stream lasts ${server.maxDuration / 1000} s.`);
  }
  return notices;
}

/** Contract §6.3: one ticker keeps the single-symbol form (`symbol=`) every server version accepts. */
function symbolParams(params: URLSearchParams, symbols: readonly string[]): void {
  if (symbols.length === 1) params.set('symbol', symbols[0]!);
  else params.set('symbols', symbols.join(','));
}

/** Most articles in the snapshot and in a fresh stream's first event: about ten per ticker. */
export function articleLimit(symbolCount: number): number {
  return Math.min(LIMITS.limit.max, Math.max(LIMITS.limit.default, 10 * symbolCount));
}

/**
 * The page's stream: the whole watchlist, never a `q`. The page filters what it lists itself, so a
 * new filter needs no new stream (live-session.ts).
 */
export interface StreamRequest {
  symbols: readonly string[];
  interval: number;
  duration: number;
  /** A cursor: the new stream starts with every article after it (contract §6.2). */
  since?: string;
}

export function streamUrl(r: StreamRequest): string {
  const params = new URLSearchParams();
  symbolParams(params, r.symbols);
  params.set('interval', String(r.interval));
  params.set('duration', String(r.duration));
  params.set('limit', String(articleLimit(r.symbols.length)));
  if (r.since) params.set('since', r.since);
  return `/api/mcp/stream-news?${params}`;
}

export function snapshotUrl(symbols: readonly string[], q: string): string {
  const params = new URLSearchParams();
  symbolParams(params, symbols);
  params.set('limit', String(articleLimit(symbols.length)));
  if (q) params.set('q', q);
  return `/api/news?${params}`;
}
