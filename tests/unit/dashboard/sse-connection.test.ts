import { describe, expect, it, vi } from 'vitest';
import { openSse, type SseHandlers } from '@/lib/dashboard/sse-connection';

function body(chunks: string[], fail = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(encoder.encode(chunk));
      if (fail) c.error(new TypeError('network'));
      else c.close();
    },
  });
}

function recorder() {
  const calls: string[] = [];
  const handlers: SseHandlers = {
    onOpen: () => calls.push('open'),
    onEvent: (e) => calls.push(`event ${e.id ?? '-'} ${e.data}`),
    onComment: (c) => calls.push(`comment ${c}`),
    onBytes: () => calls.push('bytes'),
    onRefused: (r) => calls.push(`refused ${r.status} ${JSON.stringify(r.body)} ${r.retryAfter}`),
    onClosed: () => calls.push('closed'),
    onNetworkError: () => calls.push('network-error'),
  };
  return { calls, handlers };
}

const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true));

describe('openSse', () => {
  it('parses events split across chunks, with ids, comments and the retry field', async () => {
    const { calls, handlers } = recorder();
    const fetchFn = vi.fn(async () => new Response(body(['retry: 3000\nid: c1\nda', 'ta: {"a":1}\n\n: keep-alive\n\n', 'data: x\n\n']), { status: 200 }));
    openSse(fetchFn as unknown as typeof fetch, '/s', { 'Last-Event-ID': 'c0' }, handlers);
    await until(() => calls.includes('closed'));
    expect(calls.filter((c) => c !== 'bytes')).toEqual(['open', 'event c1 {"a":1}', 'comment keep-alive', 'event - x', 'closed']);
    expect(calls.filter((c) => c === 'bytes')).toHaveLength(3);
    const init = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(init[1].headers).toEqual({ Accept: 'text/event-stream', 'Last-Event-ID': 'c0' });
  });

  it('reports refusals with their JSON body and Retry-After, and 204 without a body', async () => {
    const { calls, handlers } = recorder();
    const error = { jsonrpc: '2.0', error: { code: -32000, message: 'busy' }, id: null };
    openSse((async () => new Response(JSON.stringify(error), { status: 429, headers: { 'Retry-After': '7' } })) as unknown as typeof fetch, '/s', {}, handlers);
    openSse((async () => new Response(null, { status: 204 })) as unknown as typeof fetch, '/s', {}, handlers);
    await until(() => calls.length === 2);
    expect(calls).toContain(`refused 429 ${JSON.stringify(error)} 7`);
    expect(calls).toContain('refused 204 undefined null');
  });

  it('tells a broken connection from a finished one', async () => {
    const { calls, handlers } = recorder();
    openSse((async () => new Response(body(['data: x\n\n'], true), { status: 200 })) as unknown as typeof fetch, '/s', {}, handlers);
    openSse((async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch, '/s', {}, handlers);
    await until(() => calls.filter((c) => c === 'network-error').length === 2);
    expect(calls).not.toContain('closed');
  });

  it('calls nothing after abort', async () => {
    const { calls, handlers } = recorder();
    let release!: (r: Response) => void;
    const conn = openSse((() => new Promise<Response>((r) => (release = r))) as unknown as typeof fetch, '/s', {}, handlers);
    conn.abort();
    release(new Response(body(['data: x\n\n']), { status: 200 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]);
  });
});
