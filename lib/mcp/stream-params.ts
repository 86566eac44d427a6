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

/** Integers arrive as query-string text or JSON numbers; "1e12", "3.5" and "" are refused. */
const integerIn = (field: string, min: number, max: number) =>
  z
    .union([z.number(), z.string().trim().regex(/^-?\d{1,16}$/, { error: `${field} must be an integer from ${min} to ${max}` })])
    .transform(Number)
    .pipe(
      z
        .number()
        .int({ error: `${field} must be an integer from ${min} to ${max}` })
        .min(min, { error: `${field} must be an integer from ${min} to ${max}` })
        .max(max, { error: `${field} must be an integer from ${min} to ${max}` }),
    );

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
