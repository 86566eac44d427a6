import type { GuardStore, SlotRef } from '@/lib/state/guard-store';
import { withStore } from '@/lib/state/store';

/** Slots renewed per round trip: one script call stays short on the store and small on the wire. */
export const RENEW_BATCH = 500;

/**
 * Renews the leases of every slot this process holds in a shared store: one timer for the
 * process, one round trip per RENEW_BATCH slots, every third of a lease. A timer per stream was a
 * store command per stream every ten seconds: 10,000 open streams sent 1,000 a second, each a
 * billed request on Upstash. The timer runs only while slots are held and never keeps the process
 * alive. A renewal also puts back a held slot the store lost (restarted empty, or down when the
 * stream started), so within one renewal after the store is back every open stream counts again.
 */
export class LeaseKeeper {
  /** By member: unique per connection. Bounded by the streams this process has open. */
  private readonly held = new Map<string, SlotRef>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: GuardStore,
    private readonly leaseMs: number,
  ) {}

  /** Keeps renewing `slot` until the returned function is called. */
  keep(slot: SlotRef): () => void {
    this.held.set(slot.member, slot);
    if (!this.timer) {
      this.timer = setInterval(() => this.renew(), this.leaseMs / 3);
      this.timer.unref();
    }
    return () => {
      this.held.delete(slot.member);
      if (this.held.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    };
  }

  private renew(): void {
    const slots = [...this.held.values()];
    for (let i = 0; i < slots.length; i += RENEW_BATCH) {
      const batch = slots.slice(i, i + RENEW_BATCH);
      void withStore(this.store, 'refresh-slots', () => this.store.refreshSlots(batch, this.leaseMs));
    }
  }
}
