import { z } from 'zod';
import { log } from '@/lib/observability/logger';
import pkg from '@/package.json';

const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z
  .string()
  .default('')
  .transform((v) => v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  NEWS_FEEDS: z.string().trim().optional(),
  NEWS_USER_AGENT: z.string().trim().min(1).max(300).default(`${pkg.name}/${pkg.version} (+${pkg.repository})`),
  NEWS_FETCH_TIMEOUT_MS: intFrom(5000, 100, 60_000),
  /** Floor on how often one feed may be fetched, whatever the streams' intervals (politeness to upstream). */
  NEWS_MIN_POLL_MS: intFrom(5000, 250, 3_600_000),
  NEWS_MAX_FEED_BYTES: intFrom(5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  MCP_API_KEYS: csv,
  ALLOWED_ORIGINS: csv,
  RATE_LIMIT_PER_MINUTE: intFrom(10, 0, 100_000),
  MAX_STREAMS_PER_CLIENT: intFrom(5, 0, 100_000),
  TRUST_PROXY: booleanFlag.optional(),
  STREAM_MAX_DURATION_MS: intFrom(300_000, 1000, 24 * 3_600_000),
  STREAM_HEARTBEAT_MS: intFrom(15_000, 1000, 300_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  VERCEL: z.string().optional(),
});

export type Env = z.infer<typeof envSchema> & { trustProxy: boolean };

let cached: Env | undefined;

/**
 * Server configuration, validated once per process. A bad value is reported by name and replaced
 * by its default rather than taking the whole API down.
 */
export function env(): Env {
  if (cached) return cached;
  const raw: Record<string, string | undefined> = { ...process.env };
  for (;;) {
    const parsed = envSchema.safeParse(raw);
    if (parsed.success) {
      cached = { ...parsed.data, trustProxy: parsed.data.TRUST_PROXY ?? Boolean(parsed.data.VERCEL) };
      return cached;
    }
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      log.error('config.invalid', { variable: name, problem: issue.message, using: 'default' });
      delete raw[name];
    }
  }
}

/** For tests that change the environment inside one process. */
export function resetEnvCache(): void {
  cached = undefined;
}

export const appVersion: string = pkg.version;
export const appName: string = pkg.name;
