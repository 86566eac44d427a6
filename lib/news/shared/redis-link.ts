import { randomBytes } from 'node:crypto';
import { Redis as UpstashRedis } from '@upstash/redis';
import IORedis from 'ioredis';
import { settings, type StateConfig } from '@/lib/config/settings';
import { log } from '@/lib/observability/logger';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { answerWithin } from '@/lib/runtime/answer-within';

/**
 * The few Redis commands shared feed polling needs, over either client. The guard's
 * `lib/state/backend.ts` connection is tuned for the guard (fail open after 500 ms, no pub/sub), so
 * the news side keeps its own small connections, built from the same parsed settings.
 */
export interface RedisLink {
  kind: 'redis' | 'upstash';
  /** This process, as lease owner. */
  readonly instanceId: string;
  eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  setPx(key: string, value: string, ttlMs: number): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `onMessage` for every message on `channel`. Only ioredis can hold a subscription open;
   * with the Upstash REST client this returns false and instances read the shared state instead.
   */
  subscribe(channel: string, onMessage: (message: string) => void): boolean;
  /** False while Redis is known to be down: skip it without waiting for a timeout. */
  usable(): boolean;
  /** Records the outcome of an operation: logs the change to degraded mode, and back, once each. */
  failed(operation: string, error: unknown): void;
  succeeded(): void;
  readonly degraded: boolean;
  close(): Promise<void>;
}

/** One Redis round trip may take this long before the feed falls back to polling locally. */
export const LINK_TIMEOUT_MS = 1_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return answerWithin(promise, LINK_TIMEOUT_MS, `no answer from Redis within ${LINK_TIMEOUT_MS} ms`);
}

/** Error text without URLs (they may carry passwords or tokens). */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 200);
}

abstract class BaseLink {
  readonly instanceId = randomBytes(6).toString('hex');
  degraded = false;

  failed(operation: string, error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    log.warn('news.shared_unavailable', {
      operation,
      error: describe(error),
      action: 'polling feeds locally in this instance until Redis answers again',
    });
  }

  succeeded(): void {
    if (!this.degraded) return;
    this.degraded = false;
    log.info('news.shared_restored', { action: 'feeds polled once per period for the whole deployment again' });
  }
}

class IORedisLink extends BaseLink implements RedisLink {
  readonly kind = 'redis' as const;
  private readonly client: IORedis;
  private subscriber?: IORedis;
  private readonly handlers = new Map<string, (message: string) => void>();

  constructor(private readonly url: string) {
    super();
    this.client = new IORedis(url, this.options());
    // Without a listener an unreachable Redis would emit an unhandled 'error' and kill the process.
    this.client.on('error', () => {});
  }

  private options() {
    return {
      // Commands wait for a reconnect at most one retry; withTimeout bounds them anyway.
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    };
  }

  usable(): boolean {
    return !(this.degraded && this.client.status !== 'ready');
  }

  async eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return withTimeout(this.client.eval(script, keys.length, ...keys, ...args));
  }

  async get(key: string): Promise<string | null> {
    return withTimeout(this.client.get(key));
  }

  async setPx(key: string, value: string, ttlMs: number): Promise<void> {
    await withTimeout(this.client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))));
  }

  async publish(channel: string, message: string): Promise<void> {
    await withTimeout(this.client.publish(channel, message));
  }

  async close(): Promise<void> {
    this.client.disconnect();
    this.subscriber?.disconnect();
  }

  subscribe(channel: string, onMessage: (message: string) => void): boolean {
    if (!this.subscriber) {
      // A connection in subscriber mode can do nothing else, hence a second one. It reconnects and
      // resubscribes by itself after an outage (ioredis autoResubscribe).
      this.subscriber = new IORedis(this.url, { ...this.options(), maxRetriesPerRequest: null });
      this.subscriber.on('error', () => {});
      this.subscriber.on('message', (ch: string, message: string) => this.handlers.get(ch)?.(message));
    }
    if (!this.handlers.has(channel)) void this.subscriber.subscribe(channel).catch(() => {});
    this.handlers.set(channel, onMessage);
    return true;
  }
}

class UpstashLink extends BaseLink implements RedisLink {
  readonly kind = 'upstash' as const;
  private readonly client: UpstashRedis;

  constructor(url: string, token: string) {
    super();
    this.client = new UpstashRedis({
      url,
      token,
      retry: { retries: 0 },
      // Raw strings: the state is JSON we validate ourselves.
      automaticDeserialization: false,
      enableTelemetry: false,
    });
  }

  usable(): boolean {
    return true;
  }

  async eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return withTimeout(this.client.eval(script, keys, args.map(String)));
  }

  async get(key: string): Promise<string | null> {
    return withTimeout(this.client.get<string>(key));
  }

  async setPx(key: string, value: string, ttlMs: number): Promise<void> {
    await withTimeout(this.client.set(key, value, { px: Math.max(1, Math.round(ttlMs)) }));
  }

  async publish(channel: string, message: string): Promise<void> {
    // Nobody can be subscribed over REST; instances read the state key once per period instead.
    void channel;
    void message;
  }

  subscribe(): boolean {
    return false;
  }

  async close(): Promise<void> {}
}

/** A new link for `config` (exported for tests that play several instances in one process). */
export function createLink(config: StateConfig): RedisLink | undefined {
  if (config.kind === 'redis') return new IORedisLink(config.url);
  if (config.kind === 'upstash') return new UpstashLink(config.url, config.token);
  return undefined;
}

/** The shared-state link selected by the environment, or undefined for a single instance (one per process). */
export function redisLink(): RedisLink | undefined {
  return processSingleton('news-redis-link', () => createLink(settings().state));
}
