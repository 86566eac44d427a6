import { z } from 'zod';
import { articleSchema, feedWarningSchema } from '@/lib/contract/article';
import { LIMITS } from '@/lib/contract/limits';
import { symbolSchema } from '@/lib/contract/symbols';
import { settings } from '@/lib/config/settings';

/**
 * The tools' argument and result schemas: the contract's ranges and symbol grammar, but JSON
 * numbers rather than query-string text, so the JSON Schema a model reads in tools/list is plain
 * `integer` with `minimum`/`maximum`. Messages omit the field name because the SDK prefixes each
 * one with its path ("interval: must be …").
 */

const symbol = symbolSchema().describe('Ticker symbol, e.g. TSLA, AAPL, BRK.B, ^GSPC (S&P 500), BTC-USD, EURUSD=X. Case-insensitive.');

const integerIn = (min: number, max: number, unit = '') => {
  const message = `must be an integer from ${min} to ${max}${unit}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

function isIsoTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && Number.isFinite(Date.parse(value));
}

const since = z
  .string({ error: 'must be an ISO 8601 time or the cursor returned by an earlier stream_market_news call' })
  .trim()
  .max(400, { error: 'must be an ISO 8601 time or the cursor returned by an earlier stream_market_news call' })
  // A cursor's signature and times are verified when the call runs (the key may need a Redis round trip).
  .refine((v) => isIsoTime(v) || /^v3\.[a-z0-9.-]+$/.test(v), {
    error: 'must be an ISO 8601 time (e.g. 2026-01-31T14:00:00Z) or the cursor returned by an earlier stream_market_news call',
  })
  .describe(
    'Skip articles already delivered: the `cursor` from an earlier stream_market_news result or progress update, ' +
      'or an ISO 8601 time (only articles newer than it). Use it to re-call after a dropped connection without repeats.',
  );

export function streamToolInputSchema() {
  const maxDuration = settings().streamMaxDurationMs;
  return z.strictObject({
    symbol,
    interval: integerIn(LIMITS.interval.min, LIMITS.interval.max, ' (milliseconds)')
      .default(LIMITS.interval.default)
      .describe('How often to check the feeds for new articles, in milliseconds (default 10000).'),
    duration: integerIn(LIMITS.duration.min, maxDuration, ' (milliseconds)')
      .default(Math.min(LIMITS.duration.default, maxDuration))
      .describe(`How long to keep streaming, in milliseconds (default ${Math.min(LIMITS.duration.default, maxDuration)}, at most ${maxDuration}).`),
    limit: integerIn(LIMITS.limit.min, LIMITS.limit.max)
      .default(LIMITS.limit.default)
      .describe('Most articles in the first update (the latest ones); later updates carry every new article. Not applied with `since`, which delivers every article after it.'),
    since: since.optional(),
  });
}

export function snapshotToolInputSchema() {
  return z.strictObject({
    symbol,
    limit: integerIn(LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default).describe('How many of the latest articles to return (default 10).'),
  });
}

export const streamToolOutputSchema = z.object({
  symbol: z.string(),
  startedAt: z.string().describe('ISO time the stream started.'),
  endedAt: z.string().describe('ISO time the stream ended.'),
  articles: z.array(articleSchema).describe('Every article delivered during the call, newest first within each update.'),
  cursor: z.string().describe('Pass as `since` to a later call to get only articles newer than these.'),
  demo: z.boolean().describe('True when the server runs on its built-in demo feed (not real news).'),
  warnings: z.array(feedWarningSchema).describe('Feeds that failed during the last update (empty when none did).'),
});

export const snapshotToolOutputSchema = z.object({
  symbol: z.string(),
  fetchedAt: z.string().describe('ISO time of the newest completed feed fetch.'),
  articles: z.array(articleSchema),
  demo: z.boolean().describe('True when the server runs on its built-in demo feed (not real news).'),
  warnings: z.array(feedWarningSchema).describe('Feeds that failed in the latest fetch (empty when none did).'),
});

export type StreamToolArgs = z.output<ReturnType<typeof streamToolInputSchema>>;
export type SnapshotToolArgs = z.output<ReturnType<typeof snapshotToolInputSchema>>;
export type StreamToolOutput = z.output<typeof streamToolOutputSchema>;
export type SnapshotToolOutput = z.output<typeof snapshotToolOutputSchema>;
