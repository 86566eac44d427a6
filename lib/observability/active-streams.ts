import { processSingleton } from '@/lib/runtime/process-singleton';

/** The two streaming endpoints: `sse` = /api/mcp/stream-news, `mcp` = stream_market_news on /api/mcp. */
export type Endpoint = 'sse' | 'mcp';

/** Open streams per endpoint in this process (route bundles share one count). */
const counts = processSingleton('active-streams', (): Record<Endpoint, number> => ({ sse: 0, mcp: 0 }));

/** Counts a stream as open; the returned function closes it (idempotent). */
export function trackStream(endpoint: Endpoint): () => void {
  counts[endpoint] += 1;
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    counts[endpoint] -= 1;
  };
}

export function activeStreamCount(endpoint?: Endpoint): number {
  return endpoint ? counts[endpoint] : counts.sse + counts.mcp;
}
