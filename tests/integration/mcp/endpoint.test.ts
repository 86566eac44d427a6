import { request as httpRequest } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { sleep, waitUntil } from '@/tests/support/wait';

/**
 * /api/mcp against the production build and a local feed server, with the official clients:
 * v2 (`@modelcontextprotocol/client`) on the 2026-07-28 revision and on the 2025 handshake, and the
 * v1 SDK client (2025 protocol, stateless fallback).
 */

let feeds: FeedServer;
let app: AppServer;

const ALLOWED_ORIGIN = 'http://agent.example.test';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const item = (id: string, title: string, published?: Date): FeedItem => ({ id, title, link: `https://news.example.com/${id}`, published });
const symbolItems = new Map<string, FeedItem[]>();

/** Serves `items` as the per-symbol feed of `symbol` (replacing what was there). */
function setSymbolFeed(symbol: string, items: FeedItem[]): void {
  symbolItems.set(symbol, items);
  feeds.set(`/sym/${symbol}.xml`, rssFeed(`${symbol} headlines`, items));
}
function addArticle(symbol: string, entry: FeedItem): void {
  setSymbolFeed(symbol, [entry, ...(symbolItems.get(symbol) ?? [])]);
}

async function activeStreams(): Promise<number> {
  return ((await (await fetch(`${app.url}/api/health`)).json()) as { activeStreams: number }).activeStreams;
}

// ---- the three client flavours behind one small interface -------------------------------------

interface Progress {
  progress: number;
  total?: number;
  message?: string;
  _meta?: Record<string, unknown>;
  at: number;
}
interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}
interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
interface TestClient {
  protocolVersion(): string | undefined;
  listTools(): Promise<ListedTool[]>;
  call(name: string, args: Record<string, unknown>, options?: { signal?: AbortSignal; onprogress?: (p: Progress) => void }): Promise<ToolResult>;
  close(): Promise<void>;
}

type Flavour = 'v2 (2026-07-28)' | 'v2 (2025 handshake)' | 'v1 SDK (2025)';
const FLAVOURS: Flavour[] = ['v2 (2026-07-28)', 'v2 (2025 handshake)', 'v1 SDK (2025)'];
const CALL_TIMEOUT = 60_000;

async function connect(flavour: Flavour): Promise<TestClient> {
  const url = new URL(`${app.url}/api/mcp`);
  const stamp = (onprogress?: (p: Progress) => void) => (onprogress ? (p: Omit<Progress, 'at'>) => onprogress({ ...p, at: Date.now() }) : undefined);
  if (flavour === 'v1 SDK (2025)') {
    const client = new V1Client({ name: 'market-pulse-test-v1', version: '1.0.0' });
    const transport = new V1Transport(url);
    await client.connect(transport);
    return {
      protocolVersion: () => transport.protocolVersion,
      listTools: async () => (await client.listTools()).tools as ListedTool[],
      call: async (name, args, o = {}) =>
        (await client.callTool({ name, arguments: args }, undefined, { signal: o.signal, onprogress: stamp(o.onprogress), timeout: CALL_TIMEOUT })) as ToolResult,
      close: () => client.close(),
    };
  }
  const client = new Client(
    { name: 'market-pulse-test-v2', version: '1.0.0' },
    flavour === 'v2 (2026-07-28)' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(new StreamableHTTPClientTransport(url));
  return {
    protocolVersion: () => client.getNegotiatedProtocolVersion(),
    listTools: async () => (await client.listTools()).tools as ListedTool[],
    call: async (name, args, o = {}) =>
      (await client.callTool({ name, arguments: args }, { signal: o.signal, onprogress: stamp(o.onprogress), timeout: CALL_TIMEOUT })) as ToolResult,
    close: () => client.close(),
  };
}

/** Validates against the JSON Schema the server listed (what any client would validate with). */
function expectMatchesSchema(schema: Record<string, unknown> | undefined, value: unknown): void {
  expect(schema).toBeDefined();
  const validate = new Ajv2020({ strict: false }).compile(schema!);
  const ok = validate(value);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');
const articlesIn = (p: Progress) => ((p._meta?.articles as Array<{ id: string; title: string }> | undefined) ?? []);

// ---- raw HTTP for what clients never send -----------------------------------------------------

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
/** node:http rather than fetch: fetch will not send a forged Host header. */
function raw(method: string, body: string | undefined, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(`${app.url}/api/mcp`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const initialize = (protocolVersion = '2025-06-18') =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const legacyHeaders = { 'mcp-protocol-version': '2025-06-18' };

/** The JSON-RPC messages in a response body, whether plain JSON or an SSE stream of them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON-RPC bodies are probed field by field
type Json = any;
function messagesOf(res: RawResponse): Json[] {
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/event-stream')) {
    return res.body
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => JSON.parse(line.slice(5)));
  }
  return [JSON.parse(res.body)];
}
function expectJsonError(res: RawResponse, status: number, code?: number): Json {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(res.body).not.toMatch(/<html|<!DOCTYPE|\n\s+at /i);
  const body = JSON.parse(res.body);
  expect(body.jsonrpc).toBe('2.0');
  expect(typeof body.error?.message).toBe('string');
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body;
}

// ---- lifecycle ---------------------------------------------------------------------------------

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set('/market.xml', rssFeed('Market wire', [item('m-1', 'Stocks open higher', minutesAgo(30))]));
  for (const symbol of ['TSLA', 'AAPL', 'NVDA', 'MSFT']) {
    setSymbolFeed(symbol, [item(`${symbol}-1`, `${symbol} shares rise after deliveries beat`, minutesAgo(20)), item(`${symbol}-0`, `${symbol} analyst day recap`, minutesAgo(60))]);
  }
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml ${feeds.url}/market.xml`,
    NEWS_MIN_POLL_MS: '1000',
    NEWS_FETCH_TIMEOUT_MS: '1500',
    // Longer than any call here, so only the endpoint's own opening comment can release headers early.
    STREAM_HEARTBEAT_MS: '15000',
    STREAM_MAX_DURATION_MS: '120000',
    ALLOWED_ORIGINS: ALLOWED_ORIGIN,
    // This file is about the MCP endpoint; the guard's limits have their own tests.
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '0',
  });
});

afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

// ---- every client flavour ----------------------------------------------------------------------

describe.each(FLAVOURS)('%s client', (flavour) => {
  let client: TestClient;
  beforeAll(async () => {
    client = await connect(flavour);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('negotiates the expected protocol revision', () => {
    if (flavour === 'v2 (2026-07-28)') expect(client.protocolVersion()).toBe('2026-07-28');
    else expect(client.protocolVersion()).toMatch(/^2025-(06-18|11-25)$/);
  });

  it('lists both tools with titles, descriptions, annotations and input/output schemas', async () => {
    const tools = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_market_news', 'stream_market_news']);
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.description!.length).toBeGreaterThan(60);
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
      // `symbol` or `symbols` (a watchlist): neither is required on its own.
      expect(tool.inputSchema.required ?? []).toEqual([]);
      expect(tool.inputSchema.properties).toMatchObject({ symbol: { type: 'string' }, symbols: { type: 'array' }, query: { type: 'string' }, forms: { type: 'array' } });
      expect(tool.outputSchema).toMatchObject({ type: 'object', properties: { symbol: {}, symbols: {}, articles: { type: 'array' }, cursor: {} } });
    }
    const stream = tools.find((t) => t.name === 'stream_market_news')!;
    expect(stream.inputSchema.properties).toMatchObject({
      symbol: { type: 'string' },
      interval: { type: 'integer', minimum: 1000, maximum: 300_000 },
      duration: { type: 'integer', minimum: 1000, maximum: 120_000 },
      limit: { type: 'integer', minimum: 1, maximum: 50 },
      since: { type: 'string' },
    });
    expect(stream.outputSchema).toMatchObject({ properties: { startedAt: {}, endedAt: {}, cursor: {} } });
  });

  it('get_market_news answers at once with readable headlines and structuredContent matching its schema', async () => {
    const tools = await client.listTools();
    const started = Date.now();
    const result = await client.call('get_market_news', { symbol: 'aapl', limit: 5 });
    expect(Date.now() - started).toBeLessThan(5000); // one fetch timeout (1.5 s) plus slack for a busy machine
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('AAPL shares rise after deliveries beat');
    expect(textOf(result)).toMatch(/- Stocks open higher — \S+, \d\d:\d\d UTC https:\/\/news\.example\.com\/m-1/);
    expect(result.structuredContent).toMatchObject({ symbol: 'AAPL', demo: false });
    const ids = (result.structuredContent!.articles as Array<{ id: string }>).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['AAPL-1', 'AAPL-0', 'm-1']));
    expectMatchesSchema(tools.find((t) => t.name === 'get_market_news')!.outputSchema, result.structuredContent);
  });

  it('stream_market_news sends progress one by one while it runs, then a result matching its output schema', async () => {
    const tools = await client.listTools();
    const symbol = 'TSLA';
    const interval = 2000;
    const duration = 7000;
    const progress: Progress[] = [];
    const fresh = item(`${symbol}-breaking-${flavour}`, `${symbol} breaking: recall announced (${flavour})`, new Date());
    const started = Date.now();
    const result = await client.call(
      'stream_market_news',
      { symbol, interval, duration, limit: 10 },
      {
        onprogress: (p) => {
          progress.push(p);
          // Breaking news lands after the first update, so a later one must carry it (and only it).
          if (Array.isArray(p._meta?.articles) && !symbolItems.get(symbol)!.includes(fresh)) addArticle(symbol, fresh);
        },
      },
    );
    const ended = Date.now();

    // The first notification comes at once, not after an interval (Next.js holds the response
    // headers until the first body chunk; the SDK's first write is that notification).
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress[0]!.at - started).toBeLessThan(interval);
    expect(progress[0]!.message).toMatch(/Connected/);
    // One by one over the call's life, not in a burst at the end.
    expect(progress.at(-1)!.at - progress[0]!.at).toBeGreaterThan(duration / 2);
    expect(ended - progress[0]!.at).toBeGreaterThan(duration / 2);
    // Rising from 0 to total, with a human-readable message each time.
    const values = progress.map((p) => p.progress);
    expect(values[0]).toBe(0);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(values.at(-1)).toBe(1);
    for (const p of progress) {
      expect(p.total).toBe(1);
      expect(p.message).toBeTruthy();
      expect(typeof p._meta?.cursor).toBe('string');
    }
    // The articles themselves travel under _meta: first the latest ones, later only new ones.
    const firstNews = progress.find((p) => Array.isArray(p._meta?.articles))!;
    expect(articlesIn(firstNews).map((a) => a.id)).toEqual(expect.arrayContaining([`${symbol}-1`, 'm-1']));
    expect(firstNews.message).toMatch(new RegExp(`^\\d+ new ${symbol} articles?$`));
    const later = progress.slice(progress.indexOf(firstNews) + 1).flatMap(articlesIn);
    expect(later.map((a) => a.id)).toEqual([fresh.id]);
    const streamed = progress.flatMap(articlesIn).map((a) => a.id);
    expect(new Set(streamed).size).toBe(streamed.length);

    expect(result.isError).toBeFalsy();
    expectMatchesSchema(tools.find((t) => t.name === 'stream_market_news')!.outputSchema, result.structuredContent);
    const output = result.structuredContent as { symbol: string; articles: Array<{ id: string }>; cursor: string; startedAt: string; endedAt: string };
    expect(output.symbol).toBe(symbol);
    expect(output.articles.map((a) => a.id).sort()).toEqual([...streamed].sort());
    expect(Date.parse(output.endedAt) - Date.parse(output.startedAt)).toBeGreaterThanOrEqual(duration - 50);
    expect(textOf(result)).toContain(fresh.title);
    expect(textOf(result)).toContain(`since="${output.cursor}"`);
  });

  it('cancelling the call stops the server-side work: activeStreams back to 0 and the feed no longer polled', async () => {
    const symbol = flavour === 'v2 (2026-07-28)' ? 'NVDA' : flavour === 'v1 SDK (2025)' ? 'MSFT' : 'AAPL';
    const path = `/sym/${symbol}.xml`;
    await waitUntil(async () => (await activeStreams()) === 0, 10_000);
    const controller = new AbortController();
    const progress: Progress[] = [];
    const call = client
      .call('stream_market_news', { symbol, interval: 1000, duration: 60_000 }, { signal: controller.signal, onprogress: (p) => progress.push(p) })
      .then(
        () => 'resolved',
        () => 'rejected',
      );
    await waitUntil(() => progress.length >= 3, 10_000);
    expect(await activeStreams()).toBe(1);
    controller.abort();
    expect(await call).toBe('rejected');
    // Contract: within one second; 3 s allows for a loaded two-core machine.
    const waitedFrom = Date.now();
    await waitUntil(async () => (await activeStreams()) === 0, 3000, 'activeStreams back to 0', 50);
    const took = Date.now() - waitedFrom;
    expect(took).toBeLessThan(3000);
    await sleep(1200); // a fetch already in flight may still land
    const polled = feeds.count(path);
    await sleep(2500); // at the stream's 1 s interval, ≥ 2 more polls would happen if it still ran
    expect(feeds.count(path)).toBe(polled);
  });
});

describe('a streaming call without a progress token', () => {
  it('gets its response headers at once and no progress notifications, then the result', async () => {
    const started = Date.now();
    const res = await fetch(`${app.url}/api/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...legacyHeaders },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'stream_market_news', arguments: { symbol: 'MSFT', interval: 1000, duration: 4000 } } }),
    });
    // fetch resolves on the headers: without a first body chunk Next.js would hold them for the whole call.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    const body = await res.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3900);
    const messages = messagesOf({ status: res.status, headers: { 'content-type': 'text/event-stream' }, body });
    expect(messages.map((m) => m.method).filter(Boolean)).toEqual([]); // progress only for a client's own token
    expect(messages.at(-1)!.id).toBe(7);
    expect(messages.at(-1)!.result.structuredContent.symbol).toBe('MSFT');
  });
});

// ---- resuming without repeats ------------------------------------------------------------------

describe('since', () => {
  it('a re-call with the cursor from an earlier result delivers only what is new (v2, 2026-07-28)', async () => {
    const client = await connect('v2 (2026-07-28)');
    try {
      const first = await client.call('stream_market_news', { symbol: 'AAPL', interval: 1000, duration: 1500 });
      const firstIds = (first.structuredContent!.articles as Array<{ id: string }>).map((a) => a.id);
      expect(firstIds).toEqual(expect.arrayContaining(['AAPL-1', 'm-1']));
      addArticle('AAPL', item('AAPL-after-cursor', 'AAPL news after the first call', new Date()));
      const cursor = first.structuredContent!.cursor as string;
      const progress: Progress[] = [];
      const second = await client.call('stream_market_news', { symbol: 'AAPL', interval: 1000, duration: 3000, since: cursor }, { onprogress: (p) => progress.push(p) });
      const secondIds = (second.structuredContent!.articles as Array<{ id: string }>).map((a) => a.id);
      expect(secondIds).toEqual(['AAPL-after-cursor']);
      expect(progress.flatMap(articlesIn).map((a) => a.id)).toEqual(['AAPL-after-cursor']);
    } finally {
      await client.close();
    }
  });

  it('an ISO time skips articles published before it (v1 SDK)', async () => {
    const client = await connect('v1 SDK (2025)');
    try {
      const result = await client.call('stream_market_news', { symbol: 'NVDA', interval: 1000, duration: 2000, since: minutesAgo(40).toISOString() });
      const ids = (result.structuredContent!.articles as Array<{ id: string }>).map((a) => a.id);
      expect(ids).toContain('NVDA-1'); // 20 minutes old
      expect(ids).not.toContain('NVDA-0'); // 60 minutes old
      expect(ids).toContain('m-1'); // 30 minutes old
    } finally {
      await client.close();
    }
  });
});

// ---- bad input ---------------------------------------------------------------------------------

describe('bad input', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await connect('v2 (2026-07-28)');
  });
  afterAll(async () => {
    await client?.close();
  });

  it('an unknown tool is an error naming it', async () => {
    const outcome = await client.call('stream_market_newz', { symbol: 'TSLA' }).then(
      (r) => ({ error: r.isError ? textOf(r) : undefined }),
      (e: Error) => ({ error: e.message }),
    );
    expect(outcome.error).toMatch(/stream_market_newz/);
  });

  it.each([
    [{ symbol: 42 }, /symbol: must be a ticker string/],
    [{ symbol: 'TSLA', interval: '5s' }, /interval: must be an integer from 1000 to 300000/],
    [{ symbol: 'TSLA', interval: 10 }, /interval: must be an integer from 1000 to 300000/],
    [{ symbol: 'TSLA', interval: 1500.5 }, /interval: must be an integer from 1000 to 300000/],
    [{ symbol: 'TSLA', duration: 10_000_000 }, /duration: must be an integer from 1000 to 120000/],
    [{ symbol: 'TSLA', limit: 0 }, /limit: must be an integer from 1 to 50/],
    [{ symbol: 'NOT A TICKER' }, /symbol: must be a ticker matching/],
    [{ symbol: 'TSLA', since: 'yesterday' }, /since: must be an ISO 8601 time/],
    [{ symbol: 'TSLA', intervall: 5000 }, /intervall/],
    [{}, /symbol/],
  ])('stream_market_news %j is a tool error the model can read and correct', async (args, pattern) => {
    const result = await client.call('stream_market_news', args as Record<string, unknown>);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(pattern);
    expect(textOf(result)).not.toMatch(/\n\s+at /);
  });

  it('get_market_news with an out-of-range limit is a tool error', async () => {
    const result = await client.call('get_market_news', { symbol: 'TSLA', limit: 500 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/limit: must be an integer from 1 to 50/);
  });

  it('an oversized body is refused with 413 and JSON', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_market_news', arguments: { symbol: 'TSLA', pad: 'x'.repeat(200_000) } } });
    expectJsonError(await raw('POST', big, legacyHeaders), 413);
  });

  it('malformed JSON is a JSON-RPC parse error', async () => {
    expectJsonError(await raw('POST', '{"jsonrpc":"2.0","id":1,"method":', legacyHeaders), 400, -32700);
  });

  it('an unsupported protocol version header is refused with a JSON error', async () => {
    const res = await raw('POST', JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }), { 'mcp-protocol-version': '1999-01-01' });
    const body = expectJsonError(res, 400);
    expect(body.error.message).toMatch(/protocol version/i);
  });

  it('initialize with an unknown version negotiates a supported one instead', async () => {
    const res = await raw('POST', initialize('1999-01-01'));
    expect(res.status).toBe(200);
    const [message] = messagesOf(res);
    expect(message!.result.protocolVersion).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(message!.result.protocolVersion).not.toBe('1999-01-01');
  });

  it('an unexpected Host (DNS rebinding) gets 403', async () => {
    const res = await raw('POST', initialize(), { host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Host/);
  });

  it('an unexpected Origin gets 403', async () => {
    const res = await raw('POST', initialize(), { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(String(res.headers['content-type'])).toMatch(/json/);
  });

  it('the hosts and origins this deployment answers to are served', async () => {
    const port = new URL(app.url).port;
    const allowed: Array<Record<string, string>> = [{ host: `localhost:${port}` }, { host: 'agent.example.test' }, { origin: ALLOWED_ORIGIN }];
    for (const headers of allowed) {
      const res = await raw('POST', initialize(), headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(messagesOf(res)[0]!.result.serverInfo.name).toBe('market-pulse');
    }
  });

  it.each(['PUT', 'PATCH'])('%s is 405 with JSON and an Allow header', async (method) => {
    const res = await raw(method, '{}');
    expectJsonError(res, 405);
    expect(res.headers.allow).toMatch(/POST/);
  });

  it('GET and DELETE (2025 session operations) are 405 JSON on this stateless server, like every other 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await raw(method, undefined, legacyHeaders);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST, OPTIONS');
      expect(JSON.parse(res.body).error.code).toBe(-32005);
    }
  });
});
