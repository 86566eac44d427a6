import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { sleep, waitFor, waitUntil } from '@/tests/support/wait';

/**
 * /api/mcp with API keys and a concurrency cap configured: the documented ways to send a key work
 * (docs/mcp.md), a missing key is a JSON 401, and a streaming call over the cap comes back as a tool
 * error the model can act on, while its slot is freed when a call ends.
 */

const KEY = 'mp_test_key_1';
let app: AppServer;

beforeAll(async () => {
  app = await startApp({ NEWS_FEEDS: 'demo', MCP_API_KEYS: KEY, MAX_STREAMS_PER_CLIENT: '1', RATE_LIMIT_PER_MINUTE: '0', STREAM_MAX_DURATION_MS: '60000' });
});

afterAll(async () => {
  await app?.stop();
});

const endpoint = () => new URL(`${app.url}/api/mcp`);

async function modernClient(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'guard-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(endpoint(), { requestInit: { headers } }));
  return client;
}

async function activeStreams(): Promise<number> {
  return ((await (await fetch(`${app.url}/api/health`)).json()) as { activeStreams: number }).activeStreams;
}

describe('API keys on /api/mcp', () => {
  it('a request without a key is a JSON 401, never HTML', async () => {
    const res = await fetch(endpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/API key/);
  });

  it('the v2 client connects with X-API-Key', async () => {
    const client = await modernClient({ 'X-API-Key': KEY });
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['get_market_news', 'stream_market_news']);
    } finally {
      await client.close();
    }
  });

  it('the v1 client connects with Authorization: Bearer', async () => {
    const client = new V1Client({ name: 'guard-test-v1', version: '1.0.0' });
    await client.connect(new V1Transport(endpoint(), { requestInit: { headers: { Authorization: `Bearer ${KEY}` } } }));
    try {
      const result = await client.callTool({ name: 'get_market_news', arguments: { symbol: 'TSLA', limit: 3 } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { demo: boolean }).demo).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe('stream admission', () => {
  it('a streaming call over MAX_STREAMS_PER_CLIENT is a readable tool error; the slot frees when the first call ends', async () => {
    const client = await modernClient({ 'X-API-Key': KEY });
    try {
      const controller = new AbortController();
      let progressed = 0;
      const first = client
        .callTool({ name: 'stream_market_news', arguments: { symbol: 'TSLA', interval: 1000, duration: 30_000 } }, { signal: controller.signal, onprogress: () => progressed++ })
        .catch(() => undefined);
      await waitUntil(() => progressed >= 1, 30_000, 'first progress notification', 50);

      const refused = await client.callTool({ name: 'stream_market_news', arguments: { symbol: 'AAPL', interval: 1000, duration: 2000 } });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/Too many open streams: at most 1 at once per client/);
      expect(await activeStreams()).toBe(1);

      controller.abort();
      await first;
      await waitFor(async () => (await activeStreams()) === 0, 3000, 50);
      expect(await activeStreams()).toBe(0);

      // The released slot (released asynchronously in the store) admits the next call.
      let admitted: Awaited<ReturnType<typeof client.callTool>> | undefined;
      for (let attempt = 0; attempt < 10; attempt++) {
        admitted = await client.callTool({ name: 'stream_market_news', arguments: { symbol: 'AAPL', interval: 1000, duration: 1500 } });
        if (!admitted.isError) break;
        await sleep(200);
      }
      expect(admitted?.isError).toBeFalsy();
      expect((admitted?.structuredContent as { symbol: string }).symbol).toBe('AAPL');
    } finally {
      await client.close();
    }
  });
});
