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
  /** Unique per connection: `<streamId>|<random>`. */
  member: string;
  cap: number;
  leaseMs: number;
}

/** One held slot: whose, and which connection's. */
export interface SlotRef {
  client: string;
  member: string;
}

export interface GuardStore {
  readonly kind: 'memory' | 'redis' | 'upstash';
  /** Counts one request against `limit` per `windowMs` (sliding window). */
  limit(client: string, limit: number, windowMs: number): Promise<RateDecision>;
  /** Takes one of the client's `cap` slots; a slot of a connection that is still open is never taken over. */
  acquireSlot(request: SlotRequest): Promise<SlotDecision>;
  /**
   * Leases the slots of connections this process still holds, of any clients, for `leaseMs` from
   * now, in one round trip: extended if the store has them, added again if it lost them (a store
   * restarted empty, or down when the slot was taken), so open streams always count. Never called
   * for a released slot.
   */
  refreshSlots(slots: readonly SlotRef[], leaseMs: number): Promise<void>;
  releaseSlot(client: string, member: string): Promise<void>;
  /** Records that `client` started `streamId` (a charged start), for `ttlMs`: the stream's remaining life, no longer. */
  recordStart(client: string, streamId: string, ttlMs: number): Promise<void>;
  /**
   * Counts one resume of `streamId` by `client` and returns how many there have been, the start
   * counting as one (so the first resume returns 2); 0, and nothing stored, for a stream this
   * client did not start.
   */
  countResume(client: string, streamId: string): Promise<number>;
}

export const keys = {
  rateLimitPrefix: 'mp:rl',
  slots: (client: string) => `mp:slots:${client}`,
  starts: (client: string, streamId: string) => `mp:starts:${client}:${streamId}`,
};
