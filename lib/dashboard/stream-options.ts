import { z } from 'zod';

/**
 * Optional `interval`/`duration` overrides from the dashboard URL, within the contract's ranges.
 * The server's upper bound for duration (STREAM_MAX_DURATION_MS) is not known here; a value above it
 * is answered with a 400 that the dashboard shows in words.
 */
export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_DURATION_MS = 60_000;

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).catch(fallback);

const optionsSchema = z.object({
  interval: ms(1_000, 300_000, DEFAULT_INTERVAL_MS),
  duration: ms(1_000, 86_400_000, DEFAULT_DURATION_MS),
});

export type StreamOptions = z.infer<typeof optionsSchema>;

type Query = Record<string, string | string[] | undefined>;

export function streamOptionsFromQuery(query: Query): StreamOptions {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return optionsSchema.parse({
    interval: first(query.interval) ?? DEFAULT_INTERVAL_MS,
    duration: first(query.duration) ?? DEFAULT_DURATION_MS,
  });
}

export function streamUrl(symbol: string, options: StreamOptions, limit: number): string {
  const params = new URLSearchParams({
    symbol,
    interval: String(options.interval),
    duration: String(options.duration),
    limit: String(limit),
  });
  return `/api/mcp/stream-news?${params}`;
}
