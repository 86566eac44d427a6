import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { rssFeed, startFeedServer, type FeedServer } from '@/tests/support/feed-server';
import { openSse, type SseStream } from '@/tests/support/sse-client';
import { waitUntil } from '@/tests/support/wait';
import { activeStreams, call, mcpCall, lastMessage } from './support';

/**
 * The limits' finer rules (contract §6.5): HEAD starts nothing, a concurrency refusal costs no rate,
 * snapshots have their own limit, and no refusal grants CORS to an origin that is not allowed.
 */

const PARTNER = 'https://partner.example';
let app: AppServer;
let feeds: FeedServer;

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.setFallback((path) => (path.startsWith('/sym/') ? { kind: 'feed', body: rssFeed('Symbol', []) } : undefined));
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml`,
    TRUST_PROXY: 'true',
    RATE_LIMIT_PER_MINUTE: '10',
    MAX_STREAMS_PER_CLIENT: '3',
    SNAPSHOT_RATE_LIMIT_PER_MINUTE: '5',
    ALLOWED_ORIGINS: PARTNER,
  });
});
afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

let clients = 0;
const client = () => ({ 'X-Forwarded-For': `198.19.${Math.floor(clients / 250)}.${(clients++ % 250) + 1}` });
const stream = (query = 'symbol=TSLA&interval=1000&duration=60000') => `${app.url}/api/mcp/stream-news?${query}`;

describe('HEAD', () => {
  it('on the stream endpoint answers the GET status and headers, starts nothing and is never charged', async () => {
    const who = client();
    for (let i = 0; i < 15; i++) {
      const res = await fetch(stream(), { method: 'HEAD', headers: who });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    }
    expect(await activeStreams(app.url)).toBe(0);
    expect((await fetch(stream('symbol=TSLA&interval=5'), { method: 'HEAD', headers: who })).status).toBe(400);
    // Fifteen HEADs later the client's first real start is its first charged one.
    const first = await openSse(stream(), who);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('9');
    first.close();
  });

  it('on the snapshot endpoint reads no feed and counts nothing', async () => {
    const who = client();
    const before = feeds.count('/sym/HEADX.xml');
    for (let i = 0; i < 8; i++) expect((await fetch(`${app.url}/api/news?symbol=HEADX`, { method: 'HEAD', headers: who })).status).toBe(200);
    expect(feeds.count('/sym/HEADX.xml')).toBe(before);
    expect((await call(`${app.url}/api/news?symbol=HEADX`, { headers: who })).status).toBe(200);
  });
});

describe('concurrency and rate', () => {
  it('a refusal for concurrency does not use up the rate limit', async () => {
    const who = client();
    const open: SseStream[] = [];
    try {
      for (let i = 0; i < 3; i++) open.push(await openSse(stream(), who));
      expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
      for (let i = 0; i < 5; i++) {
        const refused = await call(stream(), { headers: who });
        expect(refused.status).toBe(429);
        expect(refused.json().error.message).toMatch(/Too many open streams/);
      }
    } finally {
      open.forEach((s) => s.close());
    }
    await waitUntil(async () => (await activeStreams(app.url)) === 0, 5_000, 'streams released');
    const next = await openSse(stream(), who);
    expect(next.status).toBe(200);
    // Three starts charged before, none for the five refusals (was 0 left, refused for 41 s).
    expect(Number(next.headers.get('ratelimit-remaining'))).toBeGreaterThanOrEqual(6);
    next.close();
  });
});

describe('snapshots', () => {
  it('are limited per client with their own budget: 429 with Retry-After, other clients unaffected, the MCP tool included', async () => {
    const who = client();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(`${app.url}/api/news?symbol=SNAP&limit=1`, { headers: who })).status);
    // Five per minute: the first five pass; by the seventh the window is spent whatever the clock.
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[6]).toBe(429);
    const refused = await call(`${app.url}/api/news?symbol=SNAP&limit=1`, { headers: who });
    expect(refused.status).toBe(429);
    expect(refused.json().error.code).toBe(-32029);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const tool = lastMessage(
      await mcpCall(app.url, who, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_market_news', arguments: { symbol: 'SNAP' } } }),
    ).result as { isError?: boolean; content: Array<{ text: string }> };
    expect(tool.isError).toBe(true);
    expect(tool.content[0]!.text).toMatch(/Too many snapshot requests/);
    expect((await call(`${app.url}/api/news?symbol=SNAP&limit=1`, { headers: client() })).status).toBe(200);
    // Streams have their own budget.
    const s = await openSse(stream(), who);
    expect(s.status).toBe(200);
    s.close();
  });
});

/** node:http rather than fetch: fetch will not send a forged Host header. */
function raw(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('CORS on refusals', () => {
  it('Origin equal to a Host that is not the app\'s own is refused, with no grant', async () => {
    const evil = { Host: 'evil.example', Origin: 'http://evil.example', 'Content-Type': 'application/json' };
    for (const [path, method] of [['/api/mcp', 'POST'], ['/api/news?symbol=TSLA', 'GET'], ['/api/mcp/stream-news?symbol=TSLA', 'GET'], ['/api/health', 'GET']] as const) {
      const res = await raw(path, evil, method);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers['access-control-allow-origin'], `${method} ${path}`).toBeUndefined();
    }
    // The app's own default host still counts as itself.
    const port = new URL(app.url).port;
    const own = await raw('/api/health', { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBe(`http://127.0.0.1:${port}`);
  });

  it('no refusal grants an origin that is not allowed; an allowed origin can read its refusals', async () => {
    const who = client();
    const open: SseStream[] = [];
    try {
      for (let i = 0; i < 3; i++) open.push(await openSse(stream(), who));
      const capped = await call(stream(), { headers: { ...who, Origin: PARTNER } });
      expect(capped.status).toBe(429);
      expect(capped.headers.get('access-control-allow-origin')).toBe(PARTNER);
      const foreign = await call(stream(), { headers: { ...who, Origin: 'https://elsewhere.example' } });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      open.forEach((s) => s.close());
    }
  });
});
