import { z } from 'zod';
import { formsFilterSchema, queryFilterSchema, type ParsedQuery } from './filters';
import { LIMITS } from './limits';
import { DEFAULT_SYMBOL, isSymbol, MAX_SYMBOLS, normaliseSymbol, symbolSchema } from './symbols';

/**
 * Query-string integers arrive as text (or as JSON numbers in tests); "1e12", "3.5", " 10" and ""
 * are refused, and so are repeats and other JSON types, always with the field's allowed range.
 */
export function queryInteger(field: string, min: number, max: number, unit = '') {
  const error = `${field} must be an integer from ${min} to ${max}${unit}`;
  return z.union([z.number(), z.string()], { error }).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: error });
    return z.NEVER;
  });
}

/**
 * Contract §6.3: 1 to 25 distinct tickers, each with the `symbol` grammar. Returns the normalised
 * list, or the problem naming `field` and the rule.
 */
export function checkSymbolList(raw: readonly string[], field = 'symbols'): { ok: true; symbols: string[] } | { ok: false; message: string } {
  const entries = raw.map(normaliseSymbol);
  const bad = entries.find((e) => !isSymbol(e));
  const repeated = entries.find((e, i) => entries.indexOf(e) !== i);
  if (entries.length === 0 || entries.length > MAX_SYMBOLS || entries.includes('')) {
    return { ok: false, message: `${field} must list 1 to ${MAX_SYMBOLS} distinct tickers separated by commas, e.g. TSLA,AAPL,^GSPC` };
  }
  if (bad !== undefined) return { ok: false, message: `${field} entry ${JSON.stringify(bad.slice(0, 20))} must be a ticker matching ^\\^?[A-Z0-9][A-Z0-9.=-]{0,11}$` };
  if (repeated !== undefined) return { ok: false, message: `${field} lists ${repeated} twice; each symbol once` };
  return { ok: true, symbols: entries };
}

/** `symbols=TSLA,AAPL` as a query-string field. */
const symbolListText = z.string({ error: `symbols must list 1 to ${MAX_SYMBOLS} distinct tickers separated by commas, e.g. TSLA,AAPL,^GSPC` }).transform((value, ctx) => {
  const checked = checkSymbolList(value.split(','));
  if (checked.ok) return checked.symbols;
  ctx.addIssue({ code: 'custom', message: checked.message });
  return z.NEVER;
});

/** A cursor or event id as text; its signature and times are checked by the stream layer. */
const cursorText = (field: string) => z.string({ error: `${field} must be an event id this API issued` }).min(1).max(1000, `${field} must be an event id this API issued`);

/** What selects and filters the news, the same for streams and snapshots. */
export interface NewsSelection {
  /** The watched symbols, in the order given. */
  symbols: string[];
  /** True when the request named `symbols` (messages then carry `symbols`, else `symbol`). */
  watchlist: boolean;
  /** Continue after this cursor (contract §6.2). */
  since?: string;
  query?: ParsedQuery;
  forms?: string[];
}

const selectionShape = {
  symbol: symbolSchema('symbol').optional(),
  symbols: symbolListText.optional(),
  since: cursorText('since').optional(),
  q: queryFilterSchema.optional(),
  forms: formsFilterSchema.optional(),
};

type RawSelection = { symbol?: string; symbols?: string[]; since?: string; q?: ParsedQuery; forms?: string[] };

function selection(raw: RawSelection, ctx: z.RefinementCtx): NewsSelection {
  if (raw.symbol !== undefined && raw.symbols !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['symbols'], message: 'symbols cannot be combined with symbol: send one or the other' });
  }
  const symbols = raw.symbols ?? [raw.symbol ?? DEFAULT_SYMBOL];
  return {
    symbols,
    watchlist: raw.symbols !== undefined,
    ...(raw.since === undefined ? {} : { since: raw.since }),
    ...(raw.q === undefined ? {} : { query: raw.q }),
    ...(raw.forms === undefined ? {} : { forms: raw.forms }),
  };
}

/** Contract §1 and §6: the stream's parameters; `maxDurationMs` is the server's STREAM_MAX_DURATION_MS. */
export function streamParamsSchema(maxDurationMs: number) {
  return z
    .object({
      ...selectionShape,
      // In milliseconds, which the message says: `interval=5` meant as seconds is the usual mistake.
      interval: queryInteger('interval', LIMITS.interval.min, LIMITS.interval.max, ' (milliseconds)').default(LIMITS.interval.default),
      duration: queryInteger('duration', LIMITS.duration.min, maxDurationMs, ' (milliseconds)').default(Math.min(LIMITS.duration.default, maxDurationMs)),
      limit: queryInteger('limit', LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default),
    })
    .strict()
    .transform(({ interval, duration, limit, ...raw }, ctx) => ({ ...selection(raw, ctx), interval, duration, limit }));
}

/** Contract §2 and §6: the snapshot's parameters. */
export function snapshotParamsSchema() {
  return z
    .object({
      ...selectionShape,
      limit: queryInteger('limit', LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default),
    })
    .strict()
    .transform(({ limit, ...raw }, ctx) => ({ ...selection(raw, ctx), limit }));
}

export type StreamParams = z.output<ReturnType<typeof streamParamsSchema>>;
export type SnapshotParams = z.output<ReturnType<typeof snapshotParamsSchema>>;

/**
 * The schemas built once per maximum: zod 4 compiles an object schema on its first parse, ~0.4 ms,
 * which a fresh schema per request paid on every stream start.
 */
const streamQueries = new Map<number, ReturnType<typeof streamParamsSchema>>();
export function streamQuerySchema(maxDurationMs: number) {
  let schema = streamQueries.get(maxDurationMs);
  if (!schema) streamQueries.set(maxDurationMs, (schema = streamParamsSchema(maxDurationMs)));
  return schema;
}

let snapshotQuery: ReturnType<typeof snapshotParamsSchema> | undefined;
export function snapshotQuerySchema() {
  return (snapshotQuery ??= snapshotParamsSchema());
}

/** One readable sentence per problem, naming the field (used in 400 bodies and MCP tool errors). */
export function describeIssues(error: z.ZodError): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : 'request';
    fields[field] ??= issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message;
  }
  return { message: Object.entries(fields).map(([f, m]) => (m.startsWith(f) ? m : `${f}: ${m}`)).join('; '), fields };
}
