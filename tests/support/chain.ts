import { openSse, progressBody } from './sse-client';

/** One article as a chained client received it. */
export interface Received {
  id: string;
  receivedAt: number;
  /** Which stream of the chain (0-based) brought it. */
  stream: number;
}

export interface ChainResult {
  received: Received[];
  /** Every stream's request URL, in order. */
  urls: string[];
  statuses: number[];
}

/**
 * A client that stays live longer than one stream (contract §6.2): each stream runs to its end (or
 * until its connection is cut), then the next opens at once with `since` set to the last event id.
 * `base(i)` picks the instance the i-th stream goes to (a load balancer in the cluster tests).
 */
export async function followWithSince(base: (i: number) => string, query: string, untilMs: number): Promise<ChainResult> {
  const result: ChainResult = { received: [], urls: [], statuses: [] };
  let since: string | undefined;
  for (let i = 0; Date.now() < untilMs; i++) {
    const url = `${base(i)}/api/mcp/stream-news?${query}${since ? `&since=${encodeURIComponent(since)}` : ''}`;
    result.urls.push(url);
    const stream = await openSse(url);
    result.statuses.push(stream.status);
    if (stream.status !== 200) break;
    await stream.done;
    for (const event of stream.events) {
      const body = progressBody(event) as { news?: { articles: Array<{ id: string }> } } | undefined;
      for (const article of body?.news?.articles ?? []) result.received.push({ id: article.id, receivedAt: event.receivedAt, stream: i });
    }
    // Ended (final result) or cut (an instance died): either way the next one continues after the last id.
    const last = [...stream.events].reverse().find((e) => e.id);
    if (!last?.id) break;
    since = last.id;
  }
  return result;
}

/** Ids received more than once. */
export function repeated(received: readonly Received[]): string[] {
  const seen = new Set<string>();
  return received.filter((r) => (seen.has(r.id) ? true : (seen.add(r.id), false))).map((r) => r.id);
}
