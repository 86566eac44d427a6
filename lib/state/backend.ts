import { createHash } from 'node:crypto';
import { Redis as UpstashRedis } from '@upstash/redis';
import IORedis from 'ioredis';
import { settings, type StateConfig } from '@/lib/config/settings';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { reportStoreFailure } from './store-failures';

/**
 * The Redis commands the guard uses: what @upstash/ratelimit calls (evalsha, eval on NOSCRIPT, get)
 * plus eval for our own scripts. Both the Upstash REST client and the ioredis adapter provide it.
 */
export interface ScriptingRedis {
  eval<TData = unknown>(script: string, keys: string[], args: (string | number)[]): Promise<TData>;
  evalsha<TData = unknown>(sha1: string, keys: string[], args: (string | number)[]): Promise<TData>;
  get<TData = unknown>(key: string): Promise<TData | null>;
  set(key: string, value: string | number): Promise<unknown>;
}

export type StateBackend =
  | { kind: 'upstash' | 'redis'; redis: ScriptingRedis; close(): Promise<void> }
  | { kind: 'memory' };

/** Bounds one Redis round trip; the guard fails open after this (see docs/security.md). */
export const STORE_TIMEOUT_MS = 500;

function upstashBackend(config: Extract<StateConfig, { kind: 'upstash' }>): StateBackend {
  const client = new UpstashRedis({
    url: config.url,
    token: config.token,
    // One attempt, bounded: a slow store must not delay a stream start (the guard fails open).
    retry: { retries: 0 },
    signal: () => AbortSignal.timeout(STORE_TIMEOUT_MS * 2),
    enableTelemetry: false,
  });
  return { kind: 'upstash', redis: client as unknown as ScriptingRedis, close: async () => {} };
}

/**
 * @upstash/ratelimit speaks Upstash's `eval(script, keys, args)` shape; ioredis wants
 * `eval(script, numKeys, ...keys, ...args)`. No published adapter exists, hence these few lines.
 */
export function ioredisScripting(client: IORedis): ScriptingRedis {
  const scripts = new Map<string, string>();
  return {
    eval: (script, keys, args) => {
      const portable = portableScript(script);
      if (portable !== script) scripts.set(sha1(script), sha1(portable));
      return client.eval(portable, keys.length, ...keys, ...args) as Promise<never>;
    },
    // After the first NOSCRIPT → eval round, the library's hash maps onto the portable script's.
    evalsha: (hash, keys, args) => client.evalsha(scripts.get(hash) ?? hash, keys.length, ...keys, ...args) as Promise<never>,
    get: (key) => client.get(key) as Promise<never>,
    set: (key, value) => client.set(key, value),
  };
}

/** REDIS_URL through ioredis, tuned to fail fast (the guard fails open). */
function ioredisBackend(config: Extract<StateConfig, { kind: 'redis' }>): StateBackend {
  const client = new IORedis(config.url, {
    // Commands issued while reconnecting wait briefly, then fail after one retry rather than queueing
    // for ever; the guard's own timeout fails open well before that.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: STORE_TIMEOUT_MS * 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
  // Without a listener an unreachable Redis would emit an unhandled 'error' and kill the process.
  client.on('error', (error) => reportStoreFailure('redis', 'connection', error));
  return {
    kind: 'redis',
    redis: ioredisScripting(client),
    close: async () => {
      client.disconnect();
    },
  };
}

/**
 * @upstash/ratelimit's scripts start with `#!lua flags=allow-key-locking`, a flag Upstash knows but
 * a standard Redis before 7.4 refuses ("Unexpected flag in script shebang"). Without a shebang a
 * script runs in Redis's default mode, which permits everything these scripts do.
 */
export function portableScript(script: string): string {
  return script.replace(/^#!lua[^\n]*\n/, '');
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function createBackend(config: StateConfig): StateBackend {
  if (config.kind === 'upstash') return upstashBackend(config);
  if (config.kind === 'redis') return ioredisBackend(config);
  return { kind: 'memory' };
}

/** The shared-state store selected by the environment (Upstash REST, REDIS_URL, else memory); one connection per process. */
export function stateBackend(): StateBackend {
  return processSingleton('state-backend', () => createBackend(settings().state));
}
