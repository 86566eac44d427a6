import type { GuardStore, RateDecision, SlotDecision, SlotRef, SlotRequest } from './guard-store';

/**
 * The guard's state in this process only: for a single instance (no REDIS_URL / Upstash set).
 * The rate limit is the same sliding-window approximation @upstash/ratelimit computes in Redis
 * (this window's count plus the previous window's, weighted by how much of it still overlaps),
 * so both modes refuse the same requests. Entries expire; a sweep bounds memory.
 */
export class MemoryGuardStore implements GuardStore {
  readonly kind = 'memory' as const;
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly slots = new Map<string, Map<string, number>>();
  private readonly starts = new Map<string, { count: number; expiresAt: number }>();
  private lastSweep = 0;

  // Date.now read at each call, not captured: a test that swaps the clock sees its own.
  constructor(private readonly now: () => number = () => Date.now()) {}

  async limit(client: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = this.now();
    this.sweep(now);
    const window = Math.floor(now / windowMs);
    const current = this.counter(`${client}:${window}`, now);
    const previous = this.counter(`${client}:${window - 1}`, now);
    const overlap = 1 - (now % windowMs) / windowMs;
    const used = Math.floor(overlap * previous) + current;
    const reset = (window + 1) * windowMs;
    if (used >= limit) return { success: false, limit, remaining: 0, reset };
    this.counters.set(`${client}:${window}`, { count: current + 1, expiresAt: now + windowMs * 2 + 1000 });
    return { success: true, limit, remaining: Math.max(0, limit - used - 1), reset };
  }

  async acquireSlot({ client, member, cap, leaseMs }: SlotRequest): Promise<SlotDecision> {
    const now = this.now();
    this.sweep(now);
    const slots = this.liveSlots(client, now);
    if (slots.size >= cap) return { ok: false, count: slots.size };
    slots.set(member, now + leaseMs);
    this.slots.set(client, slots);
    return { ok: true };
  }

  async refreshSlots(refs: readonly SlotRef[], leaseMs: number): Promise<void> {
    const now = this.now();
    for (const { client, member } of refs) {
      const slots = this.slots.get(client) ?? new Map<string, number>();
      slots.set(member, now + leaseMs);
      this.slots.set(client, slots);
    }
  }

  async releaseSlot(client: string, member: string): Promise<void> {
    const slots = this.slots.get(client);
    slots?.delete(member);
    if (slots && slots.size === 0) this.slots.delete(client);
  }

  async recordStart(client: string, streamId: string, ttlMs: number): Promise<void> {
    this.sweep(this.now());
    this.starts.set(`${client}:${streamId}`, { count: 1, expiresAt: this.now() + ttlMs });
  }

  async countResume(client: string, streamId: string): Promise<number> {
    const entry = this.starts.get(`${client}:${streamId}`);
    if (!entry || entry.expiresAt <= this.now()) return 0;
    entry.count += 1;
    return entry.count;
  }

  private counter(key: string, now: number): number {
    const entry = this.counters.get(key);
    return entry && entry.expiresAt > now ? entry.count : 0;
  }

  private liveSlots(client: string, now: number): Map<string, number> {
    const slots = this.slots.get(client) ?? new Map<string, number>();
    for (const [member, expiresAt] of slots) if (expiresAt <= now) slots.delete(member);
    return slots;
  }

  /** Drops expired entries at most once a second, so memory follows the active clients only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.counters) if (entry.expiresAt <= now) this.counters.delete(key);
    for (const [key, entry] of this.starts) if (entry.expiresAt <= now) this.starts.delete(key);
    for (const client of [...this.slots.keys()]) if (this.liveSlots(client, now).size === 0) this.slots.delete(client);
  }
}
