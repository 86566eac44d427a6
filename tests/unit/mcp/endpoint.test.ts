import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitFor } from '@/tests/support/wait';

/**
 * The /api/mcp handler in-process, without the guard middleware in front of it, so this layer's
 * own answers are covered: the SDK's 413 and parse errors, Host/Origin 403s, 405, streaming headers,
 * progress for a client's token, and release of the stream when the request is aborted.
 */

const saved = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, { NEWS_FEEDS: 'demo', RATE_LIMIT_PER_MINUTE: '0', MAX_STREAMS_PER_CLIENT: '0', LOG_LEVEL: 'error' });
});
afterAll(() => {
  process.env = saved;
});

const load = async () => {
  const [{ handleMcpRequest }, { activeStreamCount }] = await Promise.all([import('@/lib/mcp/endpoint'), import('@/lib/observability/active-streams')]);
  return { handleMcpRequest, activeStreamCount };
};

const post = (body: string | object, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  new Request('http://localhost:3000/api/mcp', {
    method: 'POST',
    headers: { host: 'localhost:3000', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });

const callStream = (args: object, meta?: object) => ({
  jsonrpc: '2.0',
  id: 9,
  method: 'tools/call',
  params: { name: 'stream_market_news', arguments: args, ...(meta ? { _meta: meta } : {}) },
});

function sseMessages(text: string): Array<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return text
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => JSON.parse(l.slice(5)));
}

describe('/api/mcp handler', () => {
  it('serves a 2025 initialize as an SSE stream that opens with a comment, with no-transform caching', async () => {
    const { handleMcpRequest } = await load();
    const res = await handleMcpRequest(post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    const text = await res.text();
    expect(text.startsWith(': stream open\n\n')).toBe(true);
    expect(sseMessages(text)[0]!.result.capabilities).toMatchObject({ tools: {}, logging: {} });
  });

  it("answers a client's malformed requests without logging them as the server's failures; a failure of ours stays a warning", async () => {
    const { handleMcpRequest } = await load();
    const { isRefusedInput } = await import('@/lib/mcp/sdk-errors');
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    process.env.LOG_LEVEL = 'warn';
    try {
      const malformed = [
        post('not json'),
        post('null'),
        post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'content-type': 'text/plain' }),
        post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { accept: 'application/json' }),
        post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-protocol-version': '1999-01-01' }),
        post({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(70 * 1024) } }),
      ];
      for (const request of malformed) {
        const status = (await handleMcpRequest(request)).status;
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }
    } finally {
      process.env.LOG_LEVEL = 'error';
      spy.mockRestore();
    }
    expect(lines.filter((line) => line.includes('"mcp.error"'))).toEqual([]);
    expect(isRefusedInput(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(false);
    expect(isRefusedInput(new TypeError('Cannot read properties of undefined'))).toBe(false);
  });

  it('refuses a body over 64 KiB with 413 JSON', async () => {
    const { handleMcpRequest } = await load();
    const res = await handleMcpRequest(post({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(70 * 1024) } }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    const { handleMcpRequest } = await load();
    const res = await handleMcpRequest(post('{"jsonrpc":'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it.each([
    [{ host: 'evil.example' }, /Host/],
    [{ origin: 'https://evil.example' }, /Origin/i],
    [{ origin: 'null' }, /Origin/i],
  ])('refuses %j with 403 (DNS rebinding)', async (headers, pattern) => {
    const { handleMcpRequest } = await load();
    const res = await handleMcpRequest(post({ jsonrpc: '2.0', id: 1, method: 'ping' }, headers));
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(pattern);
  });

  it('allows a localhost Origin (a local MCP Inspector) and no Origin at all', async () => {
    const { handleMcpRequest } = await load();
    const cases: Array<Record<string, string>> = [{ origin: 'http://localhost:6274' }, {}];
    for (const headers of cases) {
      const res = await handleMcpRequest(post({ jsonrpc: '2.0', id: 1, method: 'ping' }, headers));
      expect(res.status).toBe(200);
    }
  });

  it('answers PUT with 405 JSON naming the allowed methods', async () => {
    const { handleMcpRequest } = await load();
    const res = await handleMcpRequest(new Request('http://localhost:3000/api/mcp', { method: 'PUT', headers: { host: 'localhost:3000' } }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('streams progress for the client token, then the result', async () => {
    const { handleMcpRequest } = await load();
    const res = await handleMcpRequest(post(callStream({ symbol: 'TSLA', interval: 1000, duration: 1500 }, { progressToken: 'tok-1' })));
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === 'notifications/progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.every((m) => m.params.progressToken === 'tok-1')).toBe(true);
    expect(progress.map((m) => m.params.progress)).toEqual([...progress.map((m) => m.params.progress)].sort((a, b) => a - b));
    const final = messages.at(-1)!;
    expect(final.id).toBe(9);
    expect(final.result.structuredContent).toMatchObject({ symbol: 'TSLA', demo: true });
    expect(final.result.content[0].text).toMatch(/demo feed/);
  });

  it('stops the stream and releases its count when the request is aborted', async () => {
    const { handleMcpRequest, activeStreamCount } = await load();
    const controller = new AbortController();
    const res = await handleMcpRequest(post(callStream({ symbol: 'AAPL', interval: 1000, duration: 30_000 }, { progressToken: 2 }), {}, controller.signal));
    const reader = res.body!.getReader();
    await reader.read(); // the opening comment
    await reader.read(); // the first progress notification
    expect(activeStreamCount('mcp')).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const started = Date.now();
    await waitFor(() => activeStreamCount('mcp') === 0, 2000);
    expect(activeStreamCount('mcp')).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
