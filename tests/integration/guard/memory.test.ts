import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { openSse, type SseStream } from '@/tests/support/sse-client';
import { activeStreams, call, freshMinute, lastMessage, mcpCall, streamToEnd, waitUntil } from '@/tests/integration/guard/support';

/**
 * The API guard against the production build with its in-memory store (no Redis configured):
 * keys, origins, bounds, the rate limit and the concurrency cap. Redis and Upstash modes are in
 * guard-shared-state.test.ts.
 */

const KEYS = ['key-alpha-0001', 'key-beta-0002', 'key-gamma-0003'];
const PARTNER = 'https://partner.example';
let app: AppServer;
let proxied: AppServer;

const stream = (base: string, query = 'duration=1000&interval=1000') => `${base}/api/mcp/stream-news?symbol=TSLA&${query}`;
const key = (k: string) => ({ 'X-API-Key': k });
const sameOrigin = { 'Sec-Fetch-Site': 'same-origin' };

beforeAll(async () => {
  [app, proxied] = await Promise.all([
    startApp({
      MCP_API_KEYS: KEYS.join(','),
      ALLOWED_ORIGINS: PARTNER,
      RATE_LIMIT_PER_MINUTE: '10',
      MAX_STREAMS_PER_CLIENT: '2',
      TRUST_PROXY: 'false',
    }),
    // Behind a (simulated) reverse proxy: X-Forwarded-For is believed, from the right.
    startApp({ RATE_LIMIT_PER_MINUTE: '3', MAX_STREAMS_PER_CLIENT: '0', TRUST_PROXY: 'true' }),
  ]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), proxied?.stop()]);
});

describe('rate limit (in-memory)', () => {
  it('refuses the 11th stream start in a minute with 429, Retry-After and RateLimit headers; spoofed X-Forwarded-For does not help; another client is unaffected', async () => {
    await freshMinute();
    // The dashboard's own requests (no key): the client is the socket address, whatever X-Forwarded-For claims.
    for (let i = 1; i <= 10; i++) {
      const res = await streamToEnd(stream(app.url), { ...sameOrigin, 'X-Forwarded-For': `10.0.0.${i}`, 'X-Real-IP': `10.0.1.${i}` });
      expect(res.status, `start ${i}`).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('10');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(10 - i));
    }
    const startedAt = Date.now();
    const refused = await call(stream(app.url), { headers: { ...sameOrigin, 'X-Forwarded-For': '10.9.9.9', 'X-Real-IP': '10.9.9.9' } });
    expect(refused.status).toBe(429);
    const body = refused.json();
    expect(body.jsonrpc).toBe('2.0');
    expect(body.id).toBeNull();
    expect(body.error.message).toMatch(/at most 10 per minute/);
    // Retry-After: the seconds until this minute's window ends (the burst began in this window).
    const expected = Math.ceil((60_000 - (startedAt % 60_000)) / 1000);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Math.abs(retryAfter - expected)).toBeLessThanOrEqual(2);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(String(retryAfter));
    expect(refused.headers.get('ratelimit-limit')).toBe('10');

    // Another client (a different API key) is unaffected.
    const other = await streamToEnd(stream(app.url), key(KEYS[1]!));
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('9');
    // A snapshot is not a stream start: the limited client still reads news.
    expect((await call(`${app.url}/api/news?symbol=TSLA`, { headers: sameOrigin })).status).toBe(200);
  });

  it('counts a stream_market_news tool call on /api/mcp as a stream start of the same client', async () => {
    await freshMinute(15_000);
    const client = key(KEYS[0]!);
    const tool = await mcpCall(app.url, client, {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'stream_market_news', arguments: { symbol: 'TSLA', duration: 1000, interval: 1000 } },
    });
    expect(tool.status).toBe(200);
    expect((lastMessage(tool).result as { isError?: boolean }).isError).toBeFalsy();
    // A snapshot tool call is not a stream start.
    const snapshot = await mcpCall(app.url, client, { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'get_market_news', arguments: { symbol: 'TSLA' } } });
    expect(snapshot.status).toBe(200);
    const sse = await streamToEnd(stream(app.url), client);
    expect(sse.status).toBe(200);
    expect(sse.headers.get('ratelimit-remaining')).toBe('8');
  });

  it('behind a trusted proxy, limits by the address the proxy appended (the rightmost X-Forwarded-For entry)', async () => {
    await freshMinute();
    const client = '198.51.100.7';
    for (let i = 1; i <= 3; i++) {
      // Whatever a client prepends, the proxy's own entry comes last.
      const res = await streamToEnd(stream(proxied.url), { 'X-Forwarded-For': `10.0.0.${i}, ${client}` });
      expect(res.status).toBe(200);
    }
    expect((await call(stream(proxied.url), { headers: { 'X-Forwarded-For': `10.7.7.7, ${client}` } })).status).toBe(429);
    expect((await streamToEnd(stream(proxied.url), { 'X-Forwarded-For': `${client}, 203.0.113.50` })).status).toBe(200);
  });
  // Reconnects (free only for a verified cursor of the client's own stream) are in cursors.test.ts.
});

describe('concurrency cap (in-memory)', () => {
  const open: SseStream[] = [];
  afterAll(() => open.forEach((s) => s.close()));

  it('refuses a third open stream with 429 and Retry-After, across both streaming endpoints, and frees the slot when a stream ends or its client goes away', async () => {
    const client = key(KEYS[2]!);
    const a = await openSse(stream(app.url, 'duration=60000&interval=1000'), client);
    const b = await openSse(stream(app.url, 'duration=2000&interval=1000'), client);
    open.push(a, b);
    expect([a.status, b.status]).toEqual([200, 200]);

    const refused = await call(stream(app.url, 'duration=60000&interval=1000'), { headers: client });
    expect(refused.status).toBe(429);
    expect(refused.json().error.message).toMatch(/at most 2 at once/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // The MCP endpoint's streaming tool counts against the same cap.
    const tool = await mcpCall(app.url, client, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'stream_market_news', arguments: { symbol: 'TSLA', duration: 1000, interval: 1000 } },
    });
    expect(tool.status).toBe(200);
    const result = lastMessage(tool).result as { isError?: boolean; content: Array<{ text: string }> };
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/Too many open streams/);

    // b ends by itself after 2 s: its slot is free again.
    await b.done;
    await waitUntil(async () => (await activeStreams(app.url)) === 1, 5_000, 'stream b released');
    const c = await openSse(stream(app.url, 'duration=60000&interval=1000'), client);
    open.push(c);
    expect(c.status).toBe(200);
    expect((await call(stream(app.url), { headers: client })).status).toBe(429);

    // The client goes away: the server notices within a second and frees the slot.
    a.close();
    await waitUntil(async () => (await activeStreams(app.url)) === 1, 5_000, 'stream a released');
    const d = await streamToEnd(stream(app.url), client);
    expect(d.status).toBe(200);
  });
});

describe('reconnect at the cap (in-memory)', () => {
  it('a reconnect to its own stream replaces the dropped connection the server has not noticed yet (never both held)', async () => {
    const client = key(KEYS[1]!);
    const long = 'duration=60000&interval=1000';
    // `stale` stands for a connection that died silently: still open as far as the server knows.
    const stale = await openSse(stream(app.url, long), client);
    const other = await openSse(stream(app.url, long), client);
    try {
      expect([stale.status, other.status]).toEqual([200, 200]);
      await stale.waitFor((events) => events.some((e) => e.id));
      const lastId = stale.events.filter((e) => e.id).at(-1)!.id!;
      const resumed = await openSse(stream(app.url, long), { ...client, 'Last-Event-ID': lastId });
      expect(resumed.status).toBe(200);
      await stale.done; // the server ended the connection the reconnect replaces
      // Still at the cap for anything else.
      expect((await call(stream(app.url), { headers: client })).status).toBe(429);
      resumed.close();
    } finally {
      stale.close();
      other.close();
    }
  });
});

describe('API keys, origins and bounds (table)', () => {
  const longKey = 'k'.repeat(8000);
  type Row = {
    name: string;
    path: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    status: number;
    cors?: boolean;
    authenticate?: RegExp;
  };
  const rows: Row[] = [
    // keys
    { name: 'no key on /api/mcp', path: '/api/mcp', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', status: 401, authenticate: /^Bearer realm="market-pulse"$/ },
    { name: 'same-origin claim does not open /api/mcp', path: '/api/mcp', method: 'POST', headers: { ...sameOrigin, 'Content-Type': 'application/json' }, body: '{}', status: 401 },
    { name: 'no key on /api/news from a script', path: '/api/news?symbol=TSLA', status: 401 },
    { name: 'cross-site browser call without key', path: '/api/news?symbol=TSLA', headers: { 'Sec-Fetch-Site': 'cross-site' }, status: 401 },
    { name: 'dashboard (same-origin) without key', path: '/api/news?symbol=TSLA', headers: sameOrigin, status: 200 },
    { name: 'empty X-API-Key', path: '/api/news?symbol=TSLA', headers: { 'X-API-Key': '' }, status: 401, authenticate: /invalid_token/ },
    { name: 'wrong key', path: '/api/news?symbol=TSLA', headers: key('key-alpha-0002'), status: 401, authenticate: /invalid_token/ },
    { name: 'wrong key even same-origin', path: '/api/news?symbol=TSLA', headers: { ...sameOrigin, ...key('nope') }, status: 401 },
    { name: 'key prefix', path: '/api/news?symbol=TSLA', headers: key('key-alpha'), status: 401 },
    { name: 'key differently cased', path: '/api/news?symbol=TSLA', headers: key('KEY-ALPHA-0001'), status: 401 },
    { name: 'very long key', path: '/api/news?symbol=TSLA', headers: key(longKey), status: 401 },
    { name: 'latin-1 key', path: '/api/news?symbol=TSLA', headers: key('k\u00e9y-alpha-0001'), status: 401 },
    { name: 'Basic auth', path: '/api/news?symbol=TSLA', headers: { Authorization: `Basic ${Buffer.from('a:key-alpha-0001').toString('base64')}` }, status: 401 },
    { name: 'percent-encoded path', path: '/api/n%65ws?symbol=TSLA', status: 401 },
    { name: 'percent-encoded /api', path: '/%61pi/news?symbol=TSLA', status: 401 },
    { name: 'path parameter', path: '/api/news;x?symbol=TSLA', status: 401 },
    { name: 'middleware-skip header (CVE-2025-29927)', path: '/api/news?symbol=TSLA', headers: { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' }, status: 401 },
    { name: 'first key as X-API-Key', path: '/api/news?symbol=TSLA&limit=1', headers: key(KEYS[0]!), status: 200 },
    { name: 'second key as Bearer (rotation)', path: '/api/news?symbol=TSLA&limit=1', headers: { Authorization: `Bearer ${KEYS[1]}` }, status: 200 },
    { name: 'health is public', path: '/api/health', status: 200 },
    { name: 'health detail needs a key', path: '/api/health?detail=1', status: 401 },
    { name: 'metrics need a key', path: '/api/metrics', status: 401 },
    // origins
    { name: 'evil origin', path: '/api/news?symbol=TSLA', headers: { Origin: 'https://evil.example', ...key(KEYS[0]!) }, status: 403, cors: false },
    { name: 'null origin', path: '/api/news?symbol=TSLA', headers: { Origin: 'null', ...key(KEYS[0]!) }, status: 403, cors: false },
    { name: 'look-alike origin', path: '/api/news?symbol=TSLA', headers: { Origin: 'https://partner.example.evil.example', ...key(KEYS[0]!) }, status: 403, cors: false },
    { name: 'origin with a path', path: '/api/news?symbol=TSLA', headers: { Origin: `${PARTNER}/x`, ...key(KEYS[0]!) }, status: 403, cors: false },
    { name: 'evil origin on health', path: '/api/health', headers: { Origin: 'https://evil.example' }, status: 403, cors: false },
    { name: 'allowed origin with key', path: '/api/news?symbol=TSLA&limit=1', headers: { Origin: PARTNER, ...key(KEYS[0]!) }, status: 200, cors: true },
    { name: 'allowed origin without key', path: '/api/news?symbol=TSLA', headers: { Origin: PARTNER, 'Sec-Fetch-Site': 'cross-site' }, status: 401, cors: true },
    { name: 'preflight from allowed origin', path: '/api/mcp', method: 'OPTIONS', headers: { Origin: PARTNER, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-api-key, mcp-protocol-version' }, status: 204, cors: true },
    { name: 'preflight from evil origin', path: '/api/mcp', method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' }, status: 403, cors: false },
    { name: 'preflight from null origin', path: '/api/mcp/stream-news', method: 'OPTIONS', headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET' }, status: 403, cors: false },
    // bounds and odd input
    { name: 'huge body by Content-Length', path: '/api/mcp', method: 'POST', headers: { ...key(KEYS[0]!), 'Content-Type': 'application/json' }, body: `{"x":"${'a'.repeat(200_000)}"}`, status: 413 },
    { name: 'huge chunked body', path: '/api/mcp', method: 'POST', headers: { ...key(KEYS[0]!), 'Content-Type': 'application/json' }, body: new Uint8Array(300_000).fill(97), status: 413 },
    { name: 'very long query', path: `/api/news?symbol=TSLA&x=${'a'.repeat(9000)}`, headers: key(KEYS[0]!), status: 414 },
    { name: 'unicode symbol', path: `/api/news?symbol=${encodeURIComponent('テスラ')}`, headers: key(KEYS[0]!), status: 400 },
    { name: 'NUL in symbol', path: '/api/mcp/stream-news?symbol=%00', headers: key(KEYS[0]!), status: 400 },
    { name: 'emoji in interval', path: `/api/mcp/stream-news?symbol=TSLA&interval=${encodeURIComponent('1😀')}`, headers: key(KEYS[0]!), status: 400 },
    { name: 'garbage Last-Event-ID', path: '/api/mcp/stream-news?symbol=TSLA', headers: { ...key(KEYS[0]!), 'Last-Event-ID': '../../etc/passwd' }, status: 400 },
  ];

  it.each(rows)('$name → $status', async (row) => {
    let body: BodyInit | undefined = row.body as BodyInit | undefined;
    let duplex: 'half' | undefined;
    if (row.body instanceof Uint8Array) {
      // No Content-Length: the guard has to count the bytes itself.
      const bytes = row.body;
      body = new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 16_384) c.enqueue(bytes.subarray(i, i + 16_384));
          c.close();
        },
      });
      duplex = 'half';
    }
    const res = await call(`${app.url}${row.path}`, { method: row.method ?? 'GET', headers: row.headers, body, duplex } as RequestInit);
    expect(res.status).toBe(row.status);
    if (res.status >= 400) {
      const err = res.json();
      expect(err.jsonrpc).toBe('2.0');
      expect(typeof err.error.message).toBe('string');
      expect(res.text).not.toMatch(/key-(alpha|beta|gamma)|at \/|node_modules|kkkkkkkk/);
    }
    if (row.status === 401) expect(res.headers.get('www-authenticate')).toMatch(row.authenticate ?? /^Bearer realm=/);
    if (row.cors === true) {
      expect(res.headers.get('access-control-allow-origin')).toBe(PARTNER);
      expect(res.headers.get('vary')).toMatch(/Origin/);
    }
    if (row.cors === false) expect(res.headers.get('access-control-allow-origin')).toBeNull();
    if (row.method === 'OPTIONS' && row.status === 204) {
      const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
      for (const h of ['x-api-key', 'authorization', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id', 'content-type']) expect(allowed).toContain(h);
      expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    }
  });

  it('every 405 is JSON with code -32005 and an Allow that OPTIONS repeats and that lists no refused method', async () => {
    const served: Record<string, string> = {
      '/api/news': 'GET, HEAD, OPTIONS',
      '/api/mcp/stream-news': 'GET, HEAD, OPTIONS',
      '/api/health': 'GET, HEAD, OPTIONS',
      '/api/metrics': 'GET, HEAD, OPTIONS',
      '/api/mcp': 'POST, OPTIONS',
    };
    for (const [path, allow] of Object.entries(served)) {
      const options = await call(`${app.url}${path}`, { method: 'OPTIONS', headers: key(KEYS[0]!) });
      expect(options.status, path).toBe(204);
      expect(options.headers.get('allow'), path).toBe(allow);
      // PROPFIND and QUERY: methods no route exports, which Next alone answers with a bare 400.
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND', 'QUERY']) {
        if (allow.includes(method)) continue;
        const res = await call(`${app.url}${path}`, { method, headers: key(KEYS[0]!) });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
        expect(res.json().error.code, `${method} ${path}`).toBe(-32005);
      }
    }
  });

  it('refuses request heads over the server limit before the app sees them', async () => {
    const res = await fetch(`${app.url}/api/news?symbol=TSLA`, { headers: { 'X-Padding': 'p'.repeat(20_000), ...key(KEYS[0]!) } });
    expect(res.status).toBe(431);
  });

  it('counts refusals in /api/metrics by endpoint and reason (the middleware and the routes share one registry)', async () => {
    const res = await call(`${app.url}/api/metrics`, { headers: key(KEYS[0]!) });
    expect(res.status).toBe(200);
    const count = (labels: RegExp) =>
      res.text
        .split('\n')
        .filter((l) => l.startsWith('market_pulse_guard_refusals_total{') && labels.test(l))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(count(/reason="api-key"/)).toBeGreaterThan(0);
    expect(count(/reason="origin"/)).toBeGreaterThan(0);
    expect(count(/endpoint="sse".*reason="rate-limit"|reason="rate-limit".*endpoint="sse"/)).toBeGreaterThan(0);
    expect(count(/reason="concurrency"/)).toBeGreaterThan(0);
  });

  it('reveals nothing sensitive in /api/health and never logs a key', async () => {
    const res = await call(`${app.url}/api/health`);
    expect(Object.keys(res.json<Record<string, unknown>>()).sort()).toEqual(['activeStreams', 'status', 'uptimeSeconds', 'version']);
    const output = app.output();
    for (const k of KEYS) expect(output).not.toContain(k);
    expect(output).not.toContain('kkkkkkkkkk');
  });
});

describe('open mode', () => {
  it('without MCP_API_KEYS everything is open and one warning is logged', async () => {
    expect((await call(`${proxied.url}/api/news?symbol=TSLA&limit=1`)).status).toBe(200);
    expect((await call(`${proxied.url}/api/news?symbol=TSLA&limit=1`, { headers: key('anything') })).status).toBe(200);
    expect(proxied.output().match(/"event":"guard\.open"/g)).toHaveLength(1);
  });
});
