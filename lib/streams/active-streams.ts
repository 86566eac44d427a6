import type { StreamEndpoint } from '@/lib/guard/admit-stream';

interface Counts {
  sse: number;
  mcp: number;
}

// Route bundles may each load their own copy of this module; the count must be one per process.
const key = Symbol.for('market-pulse.active-streams');
const store = globalThis as unknown as Record<symbol, Counts | undefined>;
const counts: Counts = (store[key] ??= { sse: 0, mcp: 0 });

/** Counts a stream as open; the returned function closes it (idempotent). */
export function trackStream(endpoint: StreamEndpoint): () => void {
  counts[endpoint] += 1;
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    counts[endpoint] -= 1;
  };
}

export function activeStreamCount(endpoint?: StreamEndpoint): number {
  return endpoint ? counts[endpoint] : counts.sse + counts.mcp;
}
