import { z } from 'zod';
import { env } from '@/lib/config/env';

/** Contract section 1: the symbol grammar (TSLA, BRK.B, ^GSPC, BTC-USD, EURUSD=X). */
export const SYMBOL_PATTERN = /^\^?[A-Z0-9][A-Z0-9.=-]{0,11}$/;

export const symbolSchema = z
  .string({ error: 'symbol must be a string' })
  .max(32, { error: 'symbol must be at most 12 characters: letters, digits and . = - (optionally starting with ^)' })
  .transform((s) => s.trim().toUpperCase())
  .refine((s) => SYMBOL_PATTERN.test(s), {
    error: 'symbol must match ^\\^?[A-Z0-9][A-Z0-9.=-]{0,11}$ (e.g. TSLA, BRK.B, ^GSPC, BTC-USD, EURUSD=X)',
  });

/**
 * Integers arrive as query-string text or JSON numbers; "1e12", "3.5", " 10" and "" are refused,
 * and so are repeats and other JSON types, always with the field's allowed range in the message.
 */
const integerIn = (field: string, min: number, max: number) => {
  const error = `${field} must be an integer from ${min} to ${max}`;
  return z.union([z.number(), z.string()], { error }).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: error });
    return z.NEVER;
  });
};

export const LIMITS = {
  interval: { min: 1000, max: 300_000, default: 10_000 },
  duration: { min: 1000, default: 60_000 },
  limit: { min: 1, max: 50, default: 10 },
} as const;

export function streamParamsSchema() {
  const maxDuration = env().STREAM_MAX_DURATION_MS;
  return z.object({
    symbol: symbolSchema.default('TSLA'),
    interval: integerIn('interval', LIMITS.interval.min, LIMITS.interval.max).default(LIMITS.interval.default),
    duration: integerIn('duration', LIMITS.duration.min, maxDuration).default(Math.min(LIMITS.duration.default, maxDuration)),
    limit: integerIn('limit', LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default),
  });
}

export function snapshotParamsSchema() {
  return z.object({
    symbol: symbolSchema.default('TSLA'),
    limit: integerIn('limit', LIMITS.limit.min, LIMITS.limit.max).default(LIMITS.limit.default),
  });
}

/**
 * The query-string forms (unknown parameters refused), built once: zod 4 compiles an object schema
 * on its first parse, ~0.4 ms, which a fresh schema per request paid on every stream start.
 */
let streamQuery: { maxDuration: number; schema: ReturnType<typeof buildStreamQuery> } | undefined;
const buildStreamQuery = () => streamParamsSchema().strict();
export function streamQuerySchema() {
  const maxDuration = env().STREAM_MAX_DURATION_MS;
  if (streamQuery?.maxDuration !== maxDuration) streamQuery = { maxDuration, schema: buildStreamQuery() };
  return streamQuery.schema;
}

let snapshotQuery: ReturnType<typeof buildSnapshotQuery> | undefined;
const buildSnapshotQuery = () => snapshotParamsSchema().strict();
export function snapshotQuerySchema() {
  return (snapshotQuery ??= buildSnapshotQuery());
}

export type StreamParams = z.output<ReturnType<typeof streamParamsSchema>>;
export type SnapshotParams = z.output<ReturnType<typeof snapshotParamsSchema>>;

/** One readable sentence per problem, naming the field (used in 400 bodies and MCP tool errors). */
export function describeIssues(error: z.ZodError): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'request';
    fields[field] ??= issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message;
  }
  return { message: Object.entries(fields).map(([f, m]) => (m.startsWith(f) ? m : `${f}: ${m}`)).join('; '), fields };
}
