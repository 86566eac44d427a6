import path from 'node:path';
import type { Article } from '@/lib/contract/article';
import { startApp, type AppServer } from './app-server';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from './feed-server';
import { startRedis, type RedisServer } from './redis-server';
import type { SseEvent } from './sse-client';
import { startUpstashBridge, type UpstashBridge } from './upstash-rest-bridge';
import { sleep } from './wait';

/**
 * A small deployment on one machine: one real redis-server, a local feed server (request counts,
 * fault injection) and two `next start` instances of the production build sharing REDIS_URL, as two
 * serverless instances or two servers behind a load balancer would.
 */
export interface Cluster {
  redis: RedisServer;
  feeds: FeedServer;
  /** The instances, in start order (`apps[0]` is "A", `apps[1]` is "B"). */
  apps: AppServer[];
  /** The environment every instance was started with. */
  env: Record<string, string>;
  /** Starts one more instance with the cluster's environment (e.g. to replace a killed one). */
  addApp(extra?: Record<string, string>): Promise<AppServer>;
  /** Present with `upstash: true`. */
  bridge?: UpstashBridge;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  /** Reach Redis through the Upstash REST protocol (a bridge onto the same redis-server) instead of REDIS_URL. */
  upstash?: boolean;
  /** Extra environment for every instance (overrides the defaults below). */
  env?: Record<string, string>;
}

/** Per-symbol feed at /yahoo/<SYMBOL>.xml, one market-wide feed at /cnbc.xml. */
export const symbolFeedPath = (symbol: string) => `/yahoo/${encodeURIComponent(symbol)}.xml`;
export const marketFeedPath = '/cnbc.xml';

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const [redis, feeds] = await Promise.all([startRedis(), startFeedServer()]);
  const bridge = options.upstash ? await startUpstashBridge(redis.url) : undefined;
  const env: Record<string, string> = {
    // Blank counts as unset (lib/config/guard-env.ts).
    REDIS_URL: bridge ? '' : redis.url,
    ...(bridge ? { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token } : {}),
    NEWS_FEEDS: `${feeds.url}/yahoo/{symbol}.xml ${feeds.url}${marketFeedPath}`,
    // Polling follows the streams' interval in tests.
    NEWS_MIN_POLL_MS: '1000',
    NEWS_FETCH_TIMEOUT_MS: '2000',
    STREAM_HEARTBEAT_MS: '2000',
    // The guard has its own tests; here many streams come from one client address.
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '0',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const apps: AppServer[] = [];
  const addApp = async (extra: Record<string, string> = {}) => {
    const app = await startApp({ ...env, ...extra });
    apps.push(app);
    return app;
  };
  try {
    await Promise.all(Array.from({ length: options.instances ?? 2 }, () => addApp()));
  } catch (error) {
    await Promise.all(apps.map((a) => a.stop('SIGKILL')));
    await Promise.all([redis.stop({ crash: true }), feeds.close(), bridge?.close()]);
    throw error;
  }
  return {
    redis,
    feeds,
    apps,
    env,
    addApp,
    bridge,
    stop: async () => {
      await Promise.all(apps.map((a) => a.stop()));
      await Promise.all([redis.stop(), feeds.close(), bridge?.close()]);
    },
  };
}

interface ProgressMessage {
  params?: { progress: number; message: string };
  result?: { isError: boolean };
}

/** What a client saw on one or more connections of one stream. */
export function streamView(events: readonly SseEvent[]) {
  const messages = events.filter((e) => e.data !== undefined).map((e) => ({ id: e.id, msg: JSON.parse(e.data!) as ProgressMessage }));
  const bodies = messages.map((m) => (m.msg.params ? (JSON.parse(m.msg.params.message) as Record<string, unknown>) : undefined));
  const news = bodies.filter((b): b is { news: { articles: Article[] }; warnings?: Array<{ source: string; error: string }> } & Record<string, unknown> => !!b && 'news' in b);
  return {
    /** Article ids in the order received, repeats included. */
    articleIds: news.flatMap((b) => b.news.articles.map((a) => a.id)),
    newsEvents: news,
    warnings: news.flatMap((b) => b.warnings ?? []),
    connected: bodies.filter((b) => b?.status === 'connected') as Array<{ endsAt: string; symbol: string; timestamp: string }>,
    progress: messages.filter((m) => m.msg.params).map((m) => m.msg.params!.progress),
    final: messages.find((m) => m.msg.result)?.msg.result,
    lastId: [...events].reverse().find((e) => e.id)?.id,
  };
}

export interface HealthDetail {
  activeStreams: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  feeds: Array<{ feed: string; state: string; mode?: string; consecutiveFailures: number; subscribers: number }>;
}

/** For `env`: lets `collectGarbage()` force a full GC in the instances (test-only preload). */
export const gcOnSignalEnv = { NODE_OPTIONS: `--expose-gc --require ${path.join(__dirname, 'gc-on-signal.cjs')}` };

/** Forces a full GC in an instance started with `gcOnSignalEnv`, then reads its memory. */
export async function liveHeapOf(app: AppServer): Promise<HealthDetail['memory']> {
  app.process.kill('SIGUSR2');
  await sleep(300);
  return (await healthOf(app)).memory;
}

/**
 * Memory the instance really holds after a burst: full GCs until RSS stops falling. V8 gives the
 * pages a burst made it commit back to the system over the following seconds (its memory
 * reducer); a reading taken at once counts memory the process no longer uses.
 */
export async function settledMemoryOf(app: AppServer, timeoutMs = 30_000): Promise<HealthDetail['memory']> {
  const until = Date.now() + timeoutMs;
  let last = await liveHeapOf(app);
  while (Date.now() < until) {
    await sleep(2_000);
    const now = await liveHeapOf(app);
    if (last.rssBytes - now.rssBytes < 4 * 2 ** 20) return now;
    last = now;
  }
  return last;
}

export async function healthOf(app: AppServer): Promise<HealthDetail> {
  const res = await fetch(`${app.url}/api/health?detail=1`);
  return (await res.json()) as HealthDetail;
}

/** A feed the test appends items to (newest first, as real feeds list them); each item remembers when it was added. */
export function liveFeed(cluster: Cluster, path: string, prefix: string, initial = 3) {
  const items: Array<FeedItem & { addedAt: number }> = [];
  const serve = () => cluster.feeds.set(path, rssFeed(prefix, [...items].reverse()));
  const add = (published = new Date()) => {
    const i = items.length;
    const item = { id: `${prefix}-${i}`, title: `${prefix} story number ${i} in the cluster test`, link: `https://news.example/${prefix}/${i}`, published, addedAt: Date.now() };
    items.push(item);
    serve();
    return item;
  };
  for (let i = 0; i < initial; i++) add(new Date(Date.now() - (initial - i) * 60_000));
  return { items, add };
}

export function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}
