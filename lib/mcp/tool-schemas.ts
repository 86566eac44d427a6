import { z } from 'zod';
import { articleSchema, feedWarningSchema } from '@/lib/contract/article';
import { FORM_MAX_CHARS, parseForms, parseQuery, Q_MAX_CHARS, type ParsedQuery } from '@/lib/contract/filters';
import { LIMITS } from '@/lib/contract/limits';
import { checkSymbolList, type NewsSelection } from '@/lib/contract/query';
import { MAX_SYMBOLS, symbolSchema } from '@/lib/contract/symbols';
import { settings } from '@/lib/config/settings';

/**
 * The tools' argument and result schemas: the contract's ranges and symbol grammar, but JSON
 * numbers rather than query-string text, so the JSON Schema a model reads in tools/list is plain
 * `integer` with `minimum`/`maximum`. Messages omit the field name because the SDK prefixes each
 * one with its path ("interval: must be …").
 */

const symbol = symbolSchema().describe('Ticker symbol, e.g. TSLA, AAPL, BRK.B, ^GSPC (S&P 500), BTC-USD, EURUSD=X. Case-insensitive. Give `symbol` or `symbols`.');

const symbols = z
  .array(z.string(), { error: `must be a list of 1 to ${MAX_SYMBOLS} ticker strings` })
  .min(1)
  .max(MAX_SYMBOLS)
  .transform((list, ctx) => {
    const checked = checkSymbolList(list, 'symbols');
    if (checked.ok) return checked.symbols;
    ctx.addIssue({ code: 'custom', message: checked.message.replace(/^symbols /, '') });
    return z.NEVER;
  })
  .describe(`A watchlist: 1 to ${MAX_SYMBOLS} distinct ticker symbols followed together; each article then says which of them it concerns. Give \`symbol\` or \`symbols\`.`);

/** Contract §6.4 filters; the parsers' messages lose their field name, which the SDK adds itself. */
const withoutField = (message: string) => message.replace(/^(q|forms) /, '');

const query = z
  .string()
  .transform((raw, ctx) => {
    const parsed = parseQuery(raw);
    if (parsed.ok) return parsed.query;
    ctx.addIssue({ code: 'custom', message: withoutField(parsed.message) });
    return z.NEVER;
  })
  // For the JSON Schema a model reads; the parser above enforces the same bounds (in characters, as maxLength counts).
  .meta({ minLength: 1, maxLength: Q_MAX_CHARS })
  .describe('Only articles matching these words (whole words, any case; "a phrase" in double quotes; -word excludes), e.g. earnings "price target" -crypto.');

const FORMS_RULE = `must list 1 or more SEC form types of 1 to ${FORM_MAX_CHARS} letters, digits, "-" or "/", e.g. ["8-K", "10-Q"]`;

const forms = z
  .array(z.string().meta({ pattern: `^\\s*[A-Za-z0-9/-]{1,${FORM_MAX_CHARS}}\\s*$` }), { error: FORMS_RULE })
  .min(1, { error: FORMS_RULE })
  .transform((list, ctx) => {
    const parsed = parseForms(list.join(','));
    if (parsed.ok) return parsed.forms;
    ctx.addIssue({ code: 'custom', message: withoutField(parsed.message) });
    return z.NEVER;
  })
  .describe('SEC filings only of these form types, e.g. ["8-K", "10-Q", "4"] (write "SC 13G" as SC13G); other news is unaffected.');

/** Exactly one of `symbol` and `symbols`. */
function oneOfSymbolOrSymbols(value: { symbol?: unknown; symbols?: unknown }, ctx: z.RefinementCtx): void {
  if ((value.symbol === undefined) === (value.symbols === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['symbols'], message: 'give either symbol (one ticker) or symbols (a watchlist), not both and not neither' });
  }
}

const integerIn = (min: number, max: number, unit = '') => {
  const message = `must be an integer from ${min} to ${max}${unit}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

function isIsoTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && Number.isFinite(Date.parse(value));
}

/** Either tool's results and progress updates carry a cursor, and an SSE event id is one too. */
const SINCE_RULE = 'must be an ISO 8601 time (e.g. 2026-01-31T14:00:00Z) or a cursor this API returned: a result\'s or progress update\'s `cursor`, or an SSE event id';

const since = z
  .string({ error: SINCE_RULE })
  .trim()
  .max(400, { error: SINCE_RULE })
  // A cursor's signature and times are verified when the call runs (the key may need a Redis round trip).
  .refine((v) => isIsoTime(v) || /^v3\.[a-z0-9.-]+$/.test(v), {
    error: SINCE_RULE,
  })
  .describe(
    'Continue after an earlier result: its `cursor` (or a progress update\'s), or an ISO 8601 time. The answer then holds ' +
      'what arrived since, oldest first, at most 50 (truncated: true when more). Use it to follow news across calls without repeats.',
  );

/** A strict object whose refusal of an unknown argument lists the arguments there are. */
function argumentsObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown argument(s) ${issue.keys.join(', ')}; the arguments are ${names}` : undefined),
  });
}

export function streamToolInputSchema() {
  const maxDuration = settings().streamMaxDurationMs;
  return argumentsObject({
    symbol: symbol.optional(),
    symbols: symbols.optional(),
    interval: integerIn(LIMITS.interval.min, LIMITS.interval.max, ' (milliseconds)')
      .default(LIMITS.interval.default)
      .describe('How often to check the feeds for new articles, in milliseconds (default 10000).'),
    duration: integerIn(LIMITS.duration.min, maxDuration, ' (milliseconds)')
      .default(Math.min(LIMITS.duration.default, maxDuration))
      .describe(`How long to keep streaming, in milliseconds (default ${Math.min(LIMITS.duration.default, maxDuration)}, at most ${maxDuration}).`),
    limit: integerIn(LIMITS.limit.min, LIMITS.limit.max)
      .default(LIMITS.limit.default)
      .describe('Most articles in the first update (the latest ones); later updates carry every new article. Not applied with `since`, which delivers what was missed (at most 50).'),
    since: since.optional(),
    query: query.optional(),
    forms: forms.optional(),
  }).superRefine(oneOfSymbolOrSymbols);
}

export function snapshotToolInputSchema() {
  return argumentsObject({
    symbol: symbol.optional(),
    symbols: symbols.optional(),
    limit: integerIn(LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default).describe('How many of the latest articles to return (default 10).'),
    since: since.optional(),
    query: query.optional(),
    forms: forms.optional(),
  }).superRefine(oneOfSymbolOrSymbols);
}

/** Which symbols an answer is about: `symbol` for one, `symbols` for a watchlist (as asked). */
const watched = {
  symbol: z.string().optional().describe('The symbol asked for (single-symbol calls).'),
  symbols: z.array(z.string()).optional().describe('The watchlist asked for (calls with `symbols`).'),
};
const truncated = z.boolean().optional().describe('True when a `since` answer left older missed articles out (at most 50 are returned).');

export const streamToolOutputSchema = z.object({
  ...watched,
  startedAt: z.string().describe('ISO time the stream started.'),
  endedAt: z.string().describe('ISO time the stream ended.'),
  articles: z.array(articleSchema).describe('Every article delivered during the call: newest first within each update, a catch-up after `since` oldest first.'),
  cursor: z.string().describe('Pass as `since` to a later call to get only articles newer than these.'),
  demo: z.boolean().describe('True when the server runs on its built-in demo feed (not real news).'),
  warnings: z.array(feedWarningSchema).describe('Feeds that failed during the last update (empty when none did).'),
  truncated,
});

export const snapshotToolOutputSchema = z.object({
  ...watched,
  fetchedAt: z.string().describe('ISO time of the newest completed feed fetch.'),
  articles: z.array(articleSchema),
  demo: z.boolean().describe('True when the server runs on its built-in demo feed (not real news).'),
  warnings: z.array(feedWarningSchema).describe('Feeds that failed in the latest fetch (empty when none did).'),
  cursor: z.string().describe('Pass as `since` to a later call to get only what arrived after this answer.'),
  truncated,
});

/** The tools' arguments as the news selection the stream layer takes. */
export function selectionOf(args: { symbol?: string; symbols?: string[]; since?: string; query?: ParsedQuery; forms?: string[] }): NewsSelection {
  return {
    symbols: args.symbols ?? [args.symbol!],
    watchlist: args.symbols !== undefined,
    ...(args.since === undefined ? {} : { since: args.since }),
    ...(args.query === undefined ? {} : { query: args.query }),
    ...(args.forms === undefined ? {} : { forms: args.forms }),
  };
}

export type StreamToolArgs = z.output<ReturnType<typeof streamToolInputSchema>>;
export type SnapshotToolArgs = z.output<ReturnType<typeof snapshotToolInputSchema>>;
export type StreamToolOutput = z.output<typeof streamToolOutputSchema>;
export type SnapshotToolOutput = z.output<typeof snapshotToolOutputSchema>;
