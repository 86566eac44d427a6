/**
 * The distinct symbols this process polls feeds for, bounded (contract §6.5, MAX_ACTIVE_SYMBOLS):
 * each costs pollers, articles and upstream requests, so an unbounded set would let any client
 * grow memory and turn the server into a crawler. A symbol is in use while a stream, snapshot or
 * claim holds it; idle ones are evicted, longest idle first, to make room.
 */
export class SymbolTable {
  private readonly entries = new Map<string, { users: number; idleSince: number }>();

  constructor(
    private readonly max: number,
    /** Drops what the hub keeps for a symbol (its per-symbol pollers). */
    private readonly evict: (symbol: string) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Marks `symbols` in use, making room for new ones; null (and nothing marked) when every place is in use. */
  claim(symbols: readonly string[]): (() => void) | null {
    const fresh = new Set(symbols.filter((s) => !this.entries.has(s)));
    const excess = this.entries.size + fresh.size - this.max;
    if (excess > 0 && !this.evictIdle(excess)) return null;
    const releases = [...new Set(symbols)].map((s) => this.use(s));
    return () => releases.forEach((release) => release());
  }

  /** Marks one symbol in use, whatever the bound (a subscription to a claimed symbol); returns the release. */
  use(symbol: string): () => void {
    const entry = this.entries.get(symbol) ?? { users: 0, idleSince: 0 };
    entry.users++;
    this.entries.set(symbol, entry);
    let used = true;
    return () => {
      if (!used) return;
      used = false;
      entry.users--;
      if (entry.users === 0) entry.idleSince = Date.now();
    };
  }

  /** Forgets symbols idle since before `cutoff`. */
  sweep(cutoff: number): void {
    for (const [symbol, entry] of this.entries) {
      if (entry.users === 0 && entry.idleSince < cutoff) this.drop(symbol);
    }
  }

  private evictIdle(count: number): boolean {
    const idle = [...this.entries].filter(([, e]) => e.users === 0).sort(([, a], [, b]) => a.idleSince - b.idleSince);
    if (idle.length < count) return false;
    for (const [symbol] of idle.slice(0, count)) this.drop(symbol);
    return true;
  }

  private drop(symbol: string): void {
    this.entries.delete(symbol);
    this.evict(symbol);
  }
}
