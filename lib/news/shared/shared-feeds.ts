import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { articleSchema } from '@/lib/contract/article';
import type { FeedRound } from '../poll/feed-round';
import { retain, type HistoryKeys } from '../poll/history';
import type { FeedArticle } from '../types';
import type { RedisLink } from './redis-link';

/**
 * Deployment-wide state of one feed, in Redis at `state:<feed>` and announced on the updates
 * channel: the articles of the latest successful fetch, each with its deployment-wide sequence
 * number `n` (per feed, within `epoch`) and first-seen time `f`, plus validators and backoff, so
 * whichever instance fetches next continues the conditional GET and honours the backoff.
 */
export interface SharedFeedState extends FeedRound {
  /** Unique per published round. */
  id: string;
  /** Deployment epoch the `n` numbers belong to (a Redis that lost its data starts a new one). */
  epoch?: string;
  /** Highest `n` assigned for this feed so far: every article numbered at or below it was published. */
  mark?: number;
  /** The feed's window plus its kept history (poll/history.ts). */
  articles: SharedArticle[];
  /** Since when nothing from this feed has been lost (poll/history.ts). */
  coveredSince?: number;
}

export interface SharedArticle {
  a: FeedArticle;
  n: number;
  f: number;
}

const stateSchema = z.object({
  id: z.string(),
  epoch: z.string().optional(),
  mark: z.number().int().nonnegative().optional(),
  articles: z.array(z.object({ a: articleSchema.omit({ symbols: true }), n: z.number().int().positive(), f: z.number() })),
  coveredSince: z.number().optional(),
  attemptAt: z.number(),
  validators: z.object({ etag: z.string().optional(), lastModified: z.string().optional() }),
  lastSuccessAt: z.number(),
  consecutiveFailures: z.number().int().nonnegative(),
  failingSince: z.number(),
  lastError: z.object({ kind: z.string(), message: z.string(), at: z.number() }).optional(),
  backoffUntil: z.number(),
});

const PREFIX = 'mp:news:v1:';
const CHANNEL = `${PREFIX}updates`;
const EPOCH_KEY = `${PREFIX}epoch`;
/** The state outlives any polling period; an unused feed's state simply expires. */
const STATE_TTL_MS = 24 * 60 * 60_000;
/** Sequence numbers are remembered a week: an article seen again within that keeps its number. */
const SEQ_TTL_MS = 7 * 24 * 60 * 60_000;

/** Take the lease if free (or already ours): only the holder fetches the feed. */
const ACQUIRE = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Numbers articles per feed, atomically: an article id seen before keeps its number and first-seen
 * time; a new one gets the next number. The hash remembers its epoch, so numbers from before a data
 * loss are never mixed with new ones. Returns {epoch, "n:f" per id..., mark}.
 */
const SEQUENCE = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
end
if redis.call('HGET', KEYS[2], '#e') ~= epoch then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], '#e', epoch, '#n', 0)
end
local out = {epoch}
for i = 4, #ARGV do
  local v = redis.call('HGET', KEYS[2], 'a:' .. ARGV[i])
  if not v then
    v = redis.call('HINCRBY', KEYS[2], '#n', 1) .. ':' .. ARGV[2]
    redis.call('HSET', KEYS[2], 'a:' .. ARGV[i], v)
  end
  out[#out + 1] = v
end
out[#out + 1] = redis.call('HGET', KEYS[2], '#n')
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return out
`;

type Listener = (state: SharedFeedState) => void;

/** Feed leases, shared results and their fan-out over one Redis link. */
export class SharedFeeds {
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscribed = false;
  /** True when updates are pushed (ioredis pub/sub); false with the Upstash REST client. */
  live = false;

  constructor(readonly link: RedisLink) {}

  /** Feed keys are URLs: hashed to short, credential-free Redis key parts. */
  feedId(feedKey: string): string {
    return createHash('sha1').update(feedKey).digest('hex').slice(0, 20);
  }

  async acquireLease(feedKey: string, ttlMs: number): Promise<boolean> {
    const won = await this.link.eval(ACQUIRE, [`${PREFIX}lease:${this.feedId(feedKey)}`], [this.link.instanceId, Math.max(1, Math.round(ttlMs))]);
    return Number(won) === 1;
  }

  async extendLease(feedKey: string, ttlMs: number): Promise<void> {
    await this.link.eval(EXTEND, [`${PREFIX}lease:${this.feedId(feedKey)}`], [this.link.instanceId, Math.max(1, Math.round(ttlMs))]);
  }

  async releaseLease(feedKey: string): Promise<void> {
    await this.link.eval(RELEASE, [`${PREFIX}lease:${this.feedId(feedKey)}`], [this.link.instanceId]);
  }

  async read(feedKey: string): Promise<SharedFeedState | null> {
    const raw = await this.link.get(`${PREFIX}state:${this.feedId(feedKey)}`);
    return raw === null ? null : parseState(raw);
  }

  /**
   * Stores and announces the outcome of the holder's fetch. `articles` are the freshly parsed ones
   * (numbered here), or undefined to keep `prev`'s (304 or error).
   */
  async publish(feedKey: string, prev: SharedFeedState | null, round: FeedRound, articles: FeedArticle[] | undefined): Promise<SharedFeedState> {
    const id = this.feedId(feedKey);
    let numbered = { epoch: prev?.epoch, mark: prev?.mark, articles: prev?.articles ?? [], coveredSince: prev?.coveredSince };
    if (articles) {
      const fresh = await this.number(id, articles, round.attemptAt);
      // Numbers from before a Redis data loss (another epoch) are not comparable: that history goes.
      const history = prev?.epoch === fresh.epoch ? prev.articles : [];
      const coverage = { coveredSince: prev?.epoch === fresh.epoch ? prev.coveredSince : undefined, lastFetchAt: prev?.lastSuccessAt ?? 0 };
      const kept = retain(history, fresh.articles, coverage, sharedKeys, round.attemptAt);
      numbered = { ...fresh, articles: kept.items, coveredSince: kept.coveredSince };
    }
    const state: SharedFeedState = { ...round, id: `${this.link.instanceId}.${round.attemptAt}.${randomBytes(3).toString('hex')}`, ...numbered };
    const json = JSON.stringify(state);
    await this.link.setPx(`${PREFIX}state:${id}`, json, STATE_TTL_MS);
    await this.link.publish(CHANNEL, `${id}\n${json}`);
    return state;
  }

  /** Calls `listener` with every state another instance publishes for the feed. */
  watch(feedKey: string, listener: Listener): () => void {
    const id = this.feedId(feedKey);
    if (!this.subscribed) {
      this.subscribed = true;
      this.live = this.link.subscribe(CHANNEL, (message) => this.dispatch(message));
    }
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  private dispatch(message: string): void {
    const newline = message.indexOf('\n');
    // Every instance hears every feed; only parse what someone here is watching.
    const set = newline > 0 ? this.listeners.get(message.slice(0, newline)) : undefined;
    if (!set) return;
    const state = parseState(message.slice(newline + 1));
    if (state) for (const listener of [...set]) listener(state);
  }

  private async number(id: string, articles: FeedArticle[], now: number) {
    const reply = (await this.link.eval(SEQUENCE, [EPOCH_KEY, `${PREFIX}seq:${id}`], [randomBytes(6).toString('hex'), now, SEQ_TTL_MS, ...articles.map((a) => a.id)])) as unknown[];
    const values = reply.map(String);
    const epoch = values[0]!;
    const numbered = articles.map((a, i) => {
      const [n, f] = values[i + 1]!.split(':');
      return { a, n: Number(n), f: Number(f) };
    });
    return { epoch, mark: Number(values[values.length - 1]), articles: numbered };
  }
}

const sharedKeys = (x: SharedArticle): HistoryKeys => ({ id: x.a.id, sortTime: x.a.publishedAt ? Date.parse(x.a.publishedAt) : x.f, firstSeen: x.f });

function parseState(raw: string): SharedFeedState | null {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as SharedFeedState) : null;
  } catch {
    return null;
  }
}
