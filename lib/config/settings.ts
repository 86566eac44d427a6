import { z } from 'zod';
import { processSingleton, resetProcessSingleton } from '@/lib/runtime/process-singleton';
import pkg from '@/package.json';

/**
 * Server configuration from the environment (contract §5 and §6.7), parsed once per process.
 *
 * Every variable has one explicit rule for an invalid value:
 * - `fail-closed` for security settings: the guard answers every /api request with 500 until the
 *   value is fixed, rather than running with weaker protection than the operator asked for;
 * - `default` for everything else: the default is used and the problem is logged at start.
 * An empty value counts as unset (deploy dashboards often leave a variable defined but blank).
 * Problems name the variable, never its value (it may be a secret).
 */

type Rule = 'fail-closed' | 'default';

export type StateConfig = { kind: 'upstash'; url: string; token: string } | { kind: 'redis'; url: string } | { kind: 'memory' };
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Settings {
  newsFeeds?: string;
  /** Sent to every feed: this product's token, plus the operator's contact (NEWS_USER_AGENT) when set. */
  newsUserAgent: string;
  /** Whether NEWS_USER_AGENT gave a contact (some sources, such as SEC EDGAR, ask for one). */
  newsContact: boolean;
  newsFetchTimeoutMs: number;
  newsMinPollMs: number;
  newsMaxFeedBytes: number;
  apiKeys: string[];
  allowedOrigins: string[];
  ratePerMinute: number;
  maxStreamsPerClient: number;
  trustProxy: boolean;
  onVercel: boolean;
  state: StateConfig;
  streamMaxDurationMs: number;
  streamHeartbeatMs: number;
  /** HMAC key for cursors (STREAM_CURSOR_SECRET); unset: one per deployment via Redis, else per process. */
  cursorSecret?: string;
  snapshotRatePerMinute: number;
  maxActiveSymbols: number;
  newsHostMaxRps: number;
  logLevel: LogLevel;
  /** Hostnames Vercel gives this deployment (VERCEL_URL, VERCEL_BRANCH_URL, VERCEL_PROJECT_PRODUCTION_URL). */
  vercelHosts: string[];
}

export interface Problem {
  variable: string;
  message: string;
  rule: Rule;
}

export interface ParsedSettings {
  settings: Settings;
  problems: Problem[];
}

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `${name} must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be an integer from ${min} to ${max}`).max(max, `${name} must be an integer from ${min} to ${max}`));

const list = (raw: string): string[] =>
  raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** An origin as browsers send it: scheme://host[:port], nothing else ("null" is never allowed). */
const origin = z.string().refine(
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

const apiKey = z
  .string()
  .max(256, 'MCP_API_KEYS entries must be at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, 'MCP_API_KEYS entries must be printable ASCII without spaces or commas');

const httpUrl = (name: string) => z.string().regex(/^https?:\/\/\S+$/, `${name} must be an http(s) URL`);

const boolean = (name: string) =>
  z
    .string()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), `${name} must be true or false`)
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Each variable: its schema (applied to the trimmed, non-empty value), its rule and its default. */
const variables = {
  NEWS_FEEDS: { rule: 'default', schema: z.string(), fallback: undefined },
  NEWS_USER_AGENT: {
    rule: 'default',
    schema: z
      .string()
      .max(300, 'NEWS_USER_AGENT must be at most 300 characters')
      // A comment in the User-Agent (RFC 9110 §10.1.5): no parentheses or control characters inside.
      .transform((v) => v.replace(/[()\\\x00-\x1f\x7f]/g, ' ').replace(/\s+/g, ' ').trim()),
    fallback: undefined,
  },
  NEWS_FETCH_TIMEOUT_MS: { rule: 'default', schema: integer('NEWS_FETCH_TIMEOUT_MS', 100, 60_000), fallback: 5000 },
  NEWS_MIN_POLL_MS: { rule: 'default', schema: integer('NEWS_MIN_POLL_MS', 250, 3_600_000), fallback: 5000 },
  NEWS_MAX_FEED_BYTES: { rule: 'default', schema: integer('NEWS_MAX_FEED_BYTES', 1024, 100 * 1024 * 1024), fallback: 5 * 1024 * 1024 },
  MCP_API_KEYS: { rule: 'fail-closed', schema: z.string().transform(list).pipe(z.array(apiKey)), fallback: [] as string[] },
  ALLOWED_ORIGINS: {
    rule: 'fail-closed',
    schema: z
      .string()
      .transform(list)
      .pipe(z.array(origin))
      .transform((origins) => origins.map((o) => new URL(o).origin)),
    fallback: [] as string[],
  },
  RATE_LIMIT_PER_MINUTE: { rule: 'fail-closed', schema: integer('RATE_LIMIT_PER_MINUTE', 0, 100_000), fallback: 10 },
  MAX_STREAMS_PER_CLIENT: { rule: 'fail-closed', schema: integer('MAX_STREAMS_PER_CLIENT', 0, 100_000), fallback: 5 },
  TRUST_PROXY: { rule: 'fail-closed', schema: boolean('TRUST_PROXY'), fallback: undefined },
  UPSTASH_REDIS_REST_URL: { rule: 'fail-closed', schema: httpUrl('UPSTASH_REDIS_REST_URL'), fallback: undefined },
  UPSTASH_REDIS_REST_TOKEN: { rule: 'fail-closed', schema: z.string(), fallback: undefined },
  KV_REST_API_URL: { rule: 'fail-closed', schema: httpUrl('KV_REST_API_URL'), fallback: undefined },
  KV_REST_API_TOKEN: { rule: 'fail-closed', schema: z.string(), fallback: undefined },
  REDIS_URL: { rule: 'fail-closed', schema: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://'), fallback: undefined },
  STREAM_MAX_DURATION_MS: { rule: 'default', schema: integer('STREAM_MAX_DURATION_MS', 1000, 24 * 3_600_000), fallback: 300_000 },
  STREAM_HEARTBEAT_MS: { rule: 'default', schema: integer('STREAM_HEARTBEAT_MS', 1000, 300_000), fallback: 15_000 },
  STREAM_CURSOR_SECRET: {
    rule: 'fail-closed',
    schema: z.string().min(32, 'STREAM_CURSOR_SECRET must be at least 32 characters').max(1024, 'STREAM_CURSOR_SECRET must be at most 1024 characters'),
    fallback: undefined,
  },
  SNAPSHOT_RATE_LIMIT_PER_MINUTE: { rule: 'fail-closed', schema: integer('SNAPSHOT_RATE_LIMIT_PER_MINUTE', 0, 100_000), fallback: 120 },
  MAX_ACTIVE_SYMBOLS: { rule: 'fail-closed', schema: integer('MAX_ACTIVE_SYMBOLS', 1, 1_000_000), fallback: 2000 },
  NEWS_HOST_MAX_RPS: { rule: 'default', schema: integer('NEWS_HOST_MAX_RPS', 1, 1000), fallback: 4 },
  LOG_LEVEL: { rule: 'default', schema: z.string().toLowerCase().pipe(z.enum(['debug', 'info', 'warn', 'error'])), fallback: 'info' as LogLevel },
} satisfies Record<string, { rule: Rule; schema: z.ZodType; fallback: unknown }>;

type Values = { [K in keyof typeof variables]: z.output<(typeof variables)[K]['schema']> | (typeof variables)[K]['fallback'] };

/** Parses an environment (process.env, or a plain object in tests). Never throws. */
export function parseSettings(raw: Record<string, string | undefined>): ParsedSettings {
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(variables)) {
    const text = raw[name]?.trim();
    if (!text) {
      values[name] = variable.fallback;
      continue;
    }
    const parsed = (variable.schema as z.ZodType).safeParse(text);
    if (parsed.success) values[name] = parsed.data;
    else {
      values[name] = variable.fallback;
      problems.push({ variable: name, rule: variable.rule, message: parsed.error.issues[0]?.message ?? `${name} is invalid` });
    }
  }
  const v = values as Values;
  const state = stateConfig(v, problems);
  const onVercel = raw.VERCEL?.trim() === '1';
  return {
    problems,
    settings: {
      newsFeeds: v.NEWS_FEEDS,
      newsUserAgent: `${pkg.name}/${pkg.version}${v.NEWS_USER_AGENT ? ` (${v.NEWS_USER_AGENT})` : ''}`,
      newsContact: Boolean(v.NEWS_USER_AGENT),
      newsFetchTimeoutMs: v.NEWS_FETCH_TIMEOUT_MS,
      newsMinPollMs: v.NEWS_MIN_POLL_MS,
      newsMaxFeedBytes: v.NEWS_MAX_FEED_BYTES,
      apiKeys: v.MCP_API_KEYS,
      allowedOrigins: v.ALLOWED_ORIGINS,
      ratePerMinute: v.RATE_LIMIT_PER_MINUTE,
      maxStreamsPerClient: v.MAX_STREAMS_PER_CLIENT,
      trustProxy: v.TRUST_PROXY ?? onVercel,
      onVercel,
      state,
      streamMaxDurationMs: v.STREAM_MAX_DURATION_MS,
      streamHeartbeatMs: v.STREAM_HEARTBEAT_MS,
      cursorSecret: v.STREAM_CURSOR_SECRET,
      snapshotRatePerMinute: v.SNAPSHOT_RATE_LIMIT_PER_MINUTE,
      maxActiveSymbols: v.MAX_ACTIVE_SYMBOLS,
      newsHostMaxRps: v.NEWS_HOST_MAX_RPS,
      logLevel: v.LOG_LEVEL,
      vercelHosts: ['VERCEL_URL', 'VERCEL_BRANCH_URL', 'VERCEL_PROJECT_PRODUCTION_URL'].map((n) => raw[n]?.trim() ?? '').filter(Boolean),
    },
  };
}

function stateConfig(v: Values, problems: Problem[]): StateConfig {
  const restUrl = v.UPSTASH_REDIS_REST_URL ?? v.KV_REST_API_URL;
  const restToken = v.UPSTASH_REDIS_REST_TOKEN ?? v.KV_REST_API_TOKEN;
  if (Boolean(restUrl) !== Boolean(restToken)) {
    problems.push({
      variable: 'UPSTASH_REDIS_REST_TOKEN',
      rule: 'fail-closed',
      message: 'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_*) must be set together',
    });
    return { kind: 'memory' };
  }
  if (restUrl && restToken) return { kind: 'upstash', url: restUrl, token: restToken };
  return v.REDIS_URL ? { kind: 'redis', url: v.REDIS_URL } : { kind: 'memory' };
}

const parsedOnce = () => processSingleton('settings', () => parseSettings(process.env));

/** This process's settings; environment variables do not change while a process runs. */
export function settings(): Settings {
  return parsedOnce().settings;
}

/** Every invalid variable, with the rule that was applied to it. */
export function configProblems(): Problem[] {
  return parsedOnce().problems;
}

/** The problems that make the guard refuse every /api request (fail closed). */
export function securityProblems(): Problem[] {
  return configProblems().filter((p) => p.rule === 'fail-closed');
}

/** For tests that change the environment inside one process. */
export function resetSettings(): void {
  resetProcessSingleton('settings');
}

export const appVersion: string = pkg.version;
export const appName: string = pkg.name;
