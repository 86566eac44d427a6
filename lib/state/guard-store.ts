/**
 * The shared state the guard needs, whatever holds it (Redis, Upstash REST, or this process's memory).
 * Every operation is one atomic round trip so two instances sharing a store can never both take the
 * last slot or the last token.
 */

/** Same shape as @upstash/ratelimit's response, so the Redis and memory limiters are interchangeable. */
export interface RateDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the current window ends. */
  reset: number;
}

export type SlotDecision =
  | { ok: true }
  /** The client already holds `count` open slots (its cap). */
  | { ok: false; count: number };

export interface SlotRequest {
  client: string;
  /** Unique per connection: `<streamId or '-'>|<random>`. */
  member: string;
  cap: number;
  leaseMs: number;
  /**
   * A resume of this stream may take over the slot of an earlier connection of the same stream
   * (`<streamId>|` prefix) when the client is at its cap: that connection is the one that dropped.
   */
  takeoverPrefix?: string;
}

export interface GuardStore {
  readonly kind: 'memory' | 'redis' | 'upstash';
  /** Counts one stream start against `limit` per `windowMs` (sliding window). */
  limit(client: string, limit: number, windowMs: number): Promise<RateDecision>;
  acquireSlot(request: SlotRequest): Promise<SlotDecision>;
  /** Extends a live slot's lease; never re-creates a slot that expired or was taken over. */
  refreshSlot(client: string, member: string, leaseMs: number): Promise<void>;
  releaseSlot(client: string, member: string): Promise<void>;
  /** Renames a slot once its stream id is known and opens the stream's resume allowance. */
  bindSlot(client: string, member: string, boundMember: string, streamId: string, ttlMs: number): Promise<void>;
  /**
   * Counts one resume of `streamId` and returns how many this client has made (the bind counts as
   * one, so a stream this client started returns 2 on its first resume, an unknown stream 1).
   */
  countResume(client: string, streamId: string, ttlMs: number): Promise<number>;
}

export const keys = {
  rateLimitPrefix: 'mp:rl',
  slots: (client: string) => `mp:slots:${client}`,
  resumes: (client: string, streamId: string) => `mp:resumes:${client}:${streamId}`,
};
