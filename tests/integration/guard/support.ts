/** Helpers shared by the guard's integration suites (guard-*.test.ts). */
import { sleep } from '@/tests/support/wait';

export { sleep, waitUntil } from '@/tests/support/wait';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json<T = { jsonrpc: string; error: { code: number; message: string; data?: Record<string, unknown> }; id: null }>(): T;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** A stream start that is read to its end (use a short `duration`). */
export async function streamToEnd(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call(url, { headers: { Accept: 'text/event-stream', ...headers } });
}

/**
 * The sliding window weighs the previous minute's starts, so a burst that straddles a minute
 * boundary is judged differently from one inside a minute. Bursts that assert exact counts start
 * early in a minute (waits at most ~20 s).
 */
export async function freshMinute(budgetMs = 20_000): Promise<void> {
  const into = Date.now() % 60_000;
  if (60_000 - into < budgetMs) await sleep(60_000 - into + 250);
}

export async function activeStreams(base: string): Promise<number> {
  return ((await (await fetch(`${base}/api/health`)).json()) as { activeStreams: number }).activeStreams;
}

/** Raw JSON-RPC to /api/mcp (Streamable HTTP), answering either JSON or one SSE message. */
export async function mcpCall(base: string, headers: Record<string, string>, body: unknown): Promise<Reply> {
  return call(`${base}/api/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Protocol-Version': '2025-06-18', ...headers },
    body: JSON.stringify(body),
  });
}

/** The last JSON-RPC message in an MCP reply (SSE-framed or plain JSON). */
export function lastMessage(reply: Reply): Record<string, unknown> {
  if (!reply.headers.get('content-type')?.includes('text/event-stream')) return JSON.parse(reply.text) as Record<string, unknown>;
  const data = reply.text
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim());
  return JSON.parse(data[data.length - 1] ?? '{}') as Record<string, unknown>;
}
