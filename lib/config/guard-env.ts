import { z } from 'zod';

/**
 * Guard settings from the environment (API_CONTRACT.md §5), parsed once per process.
 * A bad value is reported naming the variable and the allowed range; the guard then refuses
 * requests with a 500 rather than silently running with weaker protection.
 */

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const countSetting = (name: string, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? String(fallback) : v))
    .pipe(
      z
        .string()
        .regex(/^\d+$/, `${name} must be an integer from 0 to 100000 (0 disables)`)
        .transform(Number)
        .pipe(z.number().int().min(0).max(100_000, `${name} must be an integer from 0 to 100000 (0 disables)`)),
    );

const booleanSetting = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((v) => v === undefined || v === '' || ['true', 'false', '1', '0', 'yes', 'no'].includes(v), {
      message: `${name} must be true or false`,
    })
    .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'yes'));

/** An origin as browsers send it: scheme://host[:port], nothing else ("null" is never allowed). */
const originSchema = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  },
  { message: 'ALLOWED_ORIGINS entries must be origins like https://example.com (scheme, host, optional port)' },
);

const apiKeySchema = z
  .string()
  .min(1)
  .max(256, 'MCP_API_KEYS entries must be at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, 'MCP_API_KEYS entries must be printable ASCII without spaces or commas');

const redisUrlSchema = z
  .string()
  .refine((v) => /^rediss?:\/\//.test(v), { message: 'REDIS_URL must start with redis:// or rediss://' });

const restUrlSchema = (name: string) =>
  z.string().refine((v) => /^https?:\/\/\S+$/.test(v), { message: `${name} must be an http(s) URL` });

const envSchema = z.object({
  MCP_API_KEYS: z.string().optional().transform(list).pipe(z.array(apiKeySchema)),
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform(list)
    .pipe(z.array(originSchema))
    .transform((origins) => origins.map((o) => new URL(o).origin)),
  RATE_LIMIT_PER_MINUTE: countSetting('RATE_LIMIT_PER_MINUTE', 10),
  MAX_STREAMS_PER_CLIENT: countSetting('MAX_STREAMS_PER_CLIENT', 5),
  TRUST_PROXY: booleanSetting('TRUST_PROXY'),
  VERCEL: z.string().optional(),
  UPSTASH_REDIS_REST_URL: restUrlSchema('UPSTASH_REDIS_REST_URL').optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  KV_REST_API_URL: restUrlSchema('KV_REST_API_URL').optional(),
  KV_REST_API_TOKEN: z.string().min(1).optional(),
  REDIS_URL: redisUrlSchema.optional(),
});

export type StateConfig =
  | { kind: 'upstash'; url: string; token: string }
  | { kind: 'redis'; url: string }
  | { kind: 'memory' };

export interface GuardEnv {
  apiKeys: string[];
  allowedOrigins: string[];
  ratePerMinute: number;
  maxStreamsPerClient: number;
  trustProxy: boolean;
  onVercel: boolean;
  state: StateConfig;
}

export type GuardEnvResult = { ok: true; env: GuardEnv } | { ok: false; problems: string[] };

/** Empty strings count as unset: deploy dashboards often leave a variable defined but blank. */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

export function parseGuardEnv(raw: Record<string, string | undefined>): GuardEnvResult {
  const parsed = envSchema.safeParse(withoutBlanks(raw));
  if (!parsed.success) {
    // Messages name the variable; values are never included (they may be secrets).
    return { ok: false, problems: parsed.error.issues.map((i) => `${String(i.path[0] ?? 'env')}: ${i.message}`) };
  }
  const e = parsed.data;
  const restUrl = e.UPSTASH_REDIS_REST_URL ?? e.KV_REST_API_URL;
  const restToken = e.UPSTASH_REDIS_REST_TOKEN ?? e.KV_REST_API_TOKEN;
  if (Boolean(restUrl) !== Boolean(restToken)) {
    return { ok: false, problems: ['UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_*) must be set together'] };
  }
  const state: StateConfig =
    restUrl && restToken
      ? { kind: 'upstash', url: restUrl, token: restToken }
      : e.REDIS_URL
        ? { kind: 'redis', url: e.REDIS_URL }
        : { kind: 'memory' };
  const onVercel = e.VERCEL === '1';
  return {
    ok: true,
    env: {
      apiKeys: e.MCP_API_KEYS,
      allowedOrigins: e.ALLOWED_ORIGINS,
      ratePerMinute: e.RATE_LIMIT_PER_MINUTE,
      maxStreamsPerClient: e.MAX_STREAMS_PER_CLIENT,
      trustProxy: e.TRUST_PROXY ?? onVercel,
      onVercel,
      state,
    },
  };
}

const cacheKey = Symbol.for('market-pulse.guard-env');
const cache = globalThis as unknown as Record<symbol, GuardEnvResult | undefined>;

/** The process's guard settings; environment variables do not change while a process runs. */
export function guardEnv(): GuardEnvResult {
  return (cache[cacheKey] ??= parseGuardEnv(process.env));
}
