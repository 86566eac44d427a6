import { z } from 'zod';
import { LIMITS } from './limits';
import { DEFAULT_SYMBOL, symbolSchema } from './symbols';

/**
 * Query-string integers arrive as text (or as JSON numbers in tests); "1e12", "3.5", " 10" and ""
 * are refused, and so are repeats and other JSON types, always with the field's allowed range.
 */
export function queryInteger(field: string, min: number, max: number) {
  const error = `${field} must be an integer from ${min} to ${max}`;
  return z.union([z.number(), z.string()], { error }).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: error });
    return z.NEVER;
  });
}

/** Contract §1: the stream's parameters; `maxDurationMs` is the server's STREAM_MAX_DURATION_MS. */
export function streamParamsSchema(maxDurationMs: number) {
  return z.object({
    symbol: symbolSchema('symbol').default(DEFAULT_SYMBOL),
    interval: queryInteger('interval', LIMITS.interval.min, LIMITS.interval.max).default(LIMITS.interval.default),
    duration: queryInteger('duration', LIMITS.duration.min, maxDurationMs).default(Math.min(LIMITS.duration.default, maxDurationMs)),
    limit: queryInteger('limit', LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default),
  });
}

/** Contract §2: the snapshot's parameters. */
export function snapshotParamsSchema() {
  return z.object({
    symbol: symbolSchema('symbol').default(DEFAULT_SYMBOL),
    limit: queryInteger('limit', LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default),
  });
}

export type StreamParams = z.output<ReturnType<typeof streamParamsSchema>>;
export type SnapshotParams = z.output<ReturnType<typeof snapshotParamsSchema>>;

/**
 * The query-string forms (unknown parameters refused), built once per maximum: zod 4 compiles an
 * object schema on its first parse, ~0.4 ms, which a fresh schema per request paid on every start.
 */
const streamQueries = new Map<number, ReturnType<typeof buildStreamQuery>>();
const buildStreamQuery = (maxDurationMs: number) => streamParamsSchema(maxDurationMs).strict();
export function streamQuerySchema(maxDurationMs: number) {
  let schema = streamQueries.get(maxDurationMs);
  if (!schema) streamQueries.set(maxDurationMs, (schema = buildStreamQuery(maxDurationMs)));
  return schema;
}

let snapshotQuery: ReturnType<typeof buildSnapshotQuery> | undefined;
const buildSnapshotQuery = () => snapshotParamsSchema().strict();
export function snapshotQuerySchema() {
  return (snapshotQuery ??= buildSnapshotQuery());
}

/** One readable sentence per problem, naming the field (used in 400 bodies and MCP tool errors). */
export function describeIssues(error: z.ZodError): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'request';
    fields[field] ??= issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message;
  }
  return { message: Object.entries(fields).map(([f, m]) => (m.startsWith(f) ? m : `${f}: ${m}`)).join('; '), fields };
}
