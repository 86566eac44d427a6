import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { isFinal, message, openSse, progressBody } from '@/tests/support/sse-client';
import { waitUntil } from '@/tests/support/wait';
import { parsePrometheusText, sampleValue, sumOf, type Family } from '@/tests/integration/ops/prometheus-text';

/**
 * Operations (issue 8) against the production build: lifecycle log lines, feed state changes in
 * logs and /api/health?detail=1, /api/metrics as valid Prometheus text whose counters move, the
 * API key on both operator endpoints, and spans exported over OTLP when tracing is configured.
 */

const API_KEY = 'ops-key-7f3e9a1c5b2d';
const UPSTASH_TOKEN = 'upstash-token-9d8c7b6a5f4e';
const WRONG_KEY = 'wrong-key-0a1b2c3d';
/** A credential in a feed URL (some feed APIs want one): shown nowhere, not even behind the key. */
const FEED_TOKEN = 'feed-token-31415926';
const auth = { 'X-API-Key': API_KEY };

let feeds: FeedServer;
let app: AppServer;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const item = (id: string, title: string): FeedItem => ({ id, title, link: `https://news.example.com/${id}`, published: minutesAgo(5) });

type LogLine = Record<string, unknown> & { time: string; level: string; event: string };

/** The JSON log lines printed so far (complete lines only; Next's own banner lines are skipped). */
function logLines(): LogLine[] {
  const text = app.output();
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

const waitForLine = (predicate: (l: LogLine) => boolean, timeoutMs: number, what: string) =>
  waitUntil(() => logLines().find(predicate), timeoutMs, what);

async function scrape(): Promise<Map<string, Family>> {
  const res = await fetch(`${app.url}/api/metrics`, { headers: { Authorization: `Bearer ${API_KEY}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

interface FeedHealthJson {
  feed: string;
  state: string;
  consecutiveFailures: number;
  lastSuccessAt?: string;
  lastErrorKind?: string;
  failingSince?: string;
  backoffMs?: number;
  validators: { etag: boolean; lastModified: boolean };
}
async function detail(): Promise<{ feeds: FeedHealthJson[]; feedSummary: Record<string, number>; streams: { sse: number } }> {
  const res = await fetch(`${app.url}/api/health?detail=1`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set('/market.xml', rssFeed('Market', [item('m-1', 'Stocks open higher'), item('m-2', 'Bonds slip')]));
  for (const symbol of ['TSLA', 'AAPL', 'FAIL']) feeds.set(`/sym/${symbol}.xml`, rssFeed(symbol, [item(`${symbol}-1`, `${symbol} news one`)]));
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml ${feeds.url}/market.xml?token=${FEED_TOKEN}`,
    NEWS_MIN_POLL_MS: '1000',
    NEWS_FETCH_TIMEOUT_MS: '2000',
    STREAM_MAX_DURATION_MS: '120000',
    LOG_LEVEL: 'debug',
    MCP_API_KEYS: `${API_KEY},another-key-123456`,
    // A fake store whose token must never be printed, even when the store fails (it answers 404).
    UPSTASH_REDIS_REST_URL: `${feeds.url}/upstash`,
    UPSTASH_REDIS_REST_TOKEN: UPSTASH_TOKEN,
    RATE_LIMIT_PER_MINUTE: '1000',
    MAX_STREAMS_PER_CLIENT: '100',
  });
});

afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

describe('operator endpoints with API keys configured', () => {
  it('keep plain /api/health public and minimal, and refuse detail and metrics without a valid key', async () => {
    const plain = await fetch(`${app.url}/api/health`);
    expect(plain.status).toBe(200);
    expect(Object.keys((await plain.json()) as object).sort()).toEqual(['activeStreams', 'status', 'uptimeSeconds', 'version']);

    for (const path of ['/api/health?detail=1', '/api/metrics']) {
      for (const headers of [{}, { 'X-API-Key': WRONG_KEY }, { Authorization: `Bearer ${WRONG_KEY}` }] as Array<Record<string, string>>) {
        const res = await fetch(`${app.url}${path}`, { headers });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        const body = (await res.json()) as { jsonrpc: string; error: { code: number; message: string } };
        expect(body.jsonrpc).toBe('2.0');
        expect(body.error.message).toMatch(/API key/);
      }
    }
    expect((await fetch(`${app.url}/api/health?detail=1`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${app.url}/api/health?detail=yes`, { headers: auth })).status).toBe(400);
  });

  // The middleware answers these 401s itself; operators still need the line and the count.
  it('logs every API-key refusal as guard.refused at info and counts it by reason', async () => {
    const refusalsBefore = sumOf(await scrape(), 'market_pulse_guard_refusals_total', { reason: 'api-key' });
    const linesBefore = logLines().filter((l) => l.event === 'guard.refused' && l.reason === 'api-key').length;
    for (const path of ['/api/health?detail=1', '/api/metrics']) {
      expect((await fetch(`${app.url}${path}`, { headers: { 'X-API-Key': WRONG_KEY } })).status).toBe(401);
    }
    const lines = await waitUntil(() => {
      const found = logLines().filter((l) => l.event === 'guard.refused' && l.reason === 'api-key');
      return found.length >= linesBefore + 2 ? found.slice(linesBefore) : undefined;
    }, 3000, 'two more guard.refused lines');
    for (const line of lines) expect(line).toMatchObject({ level: 'info', requestId: expect.any(String) });
    expect(sumOf(await scrape(), 'market_pulse_guard_refusals_total', { reason: 'api-key' })).toBe(refusalsBefore + 2);
  });

  it('reports the unreachable shared store (fake Upstash answering 404) without printing its token', async () => {
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=TSLA&interval=1000&duration=1000`, auth);
    expect(stream.status).toBe(200); // the guard fails open while the store is down
    await stream.done;
    const line = await waitForLine((l) => l.event === 'guard.store_unavailable', 5000, 'guard.store_unavailable');
    expect(line.level).toBe('warn');
    expect(app.output()).not.toContain(UPSTASH_TOKEN);
  });

  it('counts shared-store failures in market_pulse_redis_errors_total', async () => {
    expect(sumOf(await scrape(), 'market_pulse_redis_errors_total')).toBeGreaterThanOrEqual(1);
  });
});

describe('stream lifecycle logs', () => {
  it('logs started and ended (complete) with request id, stream id, duration and articles delivered', async () => {
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=TSLA&interval=1000&duration=3000`, {
      ...auth,
      'X-Request-Id': 'ops-req-complete',
    });
    expect(stream.status).toBe(200);
    await stream.done;
    const final = stream.events.find(isFinal);
    expect(final).toBeDefined();
    const token = (message(final!) as { id: unknown }).id;
    const delivered = stream.events
      .map(progressBody)
      .reduce((n, body) => n + ((body?.news as { count?: number } | undefined)?.count ?? 0), 0);
    expect(delivered).toBeGreaterThan(0);

    const ended = await waitForLine((l) => l.event === 'stream.ended' && l.requestId === 'ops-req-complete', 5000, 'stream.ended');
    const started = logLines().find((l) => l.event === 'stream.started' && l.requestId === 'ops-req-complete');
    expect(started).toMatchObject({ level: 'info', endpoint: 'sse', symbol: 'TSLA', interval: 1000, duration: 3000, streamId: token });
    expect(ended).toMatchObject({ level: 'info', endpoint: 'sse', symbol: 'TSLA', reason: 'complete', streamId: token, articlesDelivered: delivered });
    expect(ended.eventsSent).toBe(stream.events.filter((e) => e.data !== undefined).length);
    // Duration is 3 s by contract; the upper bound is generous for a loaded two-core machine.
    expect(ended.durationMs as number).toBeGreaterThanOrEqual(2500);
    expect(ended.durationMs as number).toBeLessThan(20_000);
  });

  it('logs client-gone when the client disconnects, and resumed for a Last-Event-ID reconnect', async () => {
    const first = await openSse(`${app.url}/api/mcp/stream-news?symbol=AAPL&interval=1000&duration=20000`, { ...auth, 'X-Request-Id': 'ops-req-gone' });
    await first.waitFor((events) => events.some((e) => progressBody(e)?.news !== undefined));
    const lastId = first.events.findLast((e) => e.id !== undefined)?.id;
    first.close();
    const gone = await waitForLine((l) => l.event === 'stream.ended' && l.requestId === 'ops-req-gone', 5000, 'client-gone stream.ended');
    expect(gone).toMatchObject({ reason: 'client-gone', endpoint: 'sse' });
    expect(gone.articlesDelivered as number).toBeGreaterThan(0);

    const again = await openSse(`${app.url}/api/mcp/stream-news?symbol=AAPL&interval=1000&duration=20000`, {
      ...auth,
      'Last-Event-ID': lastId!,
      'X-Request-Id': 'ops-req-resume',
    });
    expect(again.status).toBe(200);
    const resumed = await waitForLine((l) => l.event === 'stream.resumed' && l.requestId === 'ops-req-resume', 5000, 'stream.resumed');
    expect(resumed).toMatchObject({ level: 'info', streamId: gone.streamId, symbol: 'AAPL' });
    again.close();
    await waitForLine((l) => l.event === 'stream.ended' && l.requestId === 'ops-req-resume', 5000, 'resumed stream.ended');
  });

  it('writes only well-formed JSON lines, keeps per-event and per-fetch lines at debug, and prints no secret', () => {
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(new Date(line.time).toISOString()).toBe(line.time);
      expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
      expect(line.event).toMatch(/^[a-z][\w-]*(\.[\w-]+)+$/);
      if (line.event.startsWith('stream.')) {
        expect(typeof line.streamId).toBe('string');
        expect(typeof line.requestId).toBe('string');
      }
    }
    const fetchLines = lines.filter((l) => l.event === 'feed.fetch');
    expect(fetchLines.length).toBeGreaterThan(0);
    expect(fetchLines.every((l) => l.level === 'debug')).toBe(true);
    expect(lines.filter((l) => l.event === 'stream.news').every((l) => l.level === 'debug')).toBe(true);
    const output = app.output();
    for (const secret of [API_KEY, 'another-key-123456', UPSTASH_TOKEN, WRONG_KEY, FEED_TOKEN]) expect(output).not.toContain(secret);
    // The market feed is logged, with its credential redacted.
    expect(fetchLines.some((l) => String(l.feed).endsWith('/market.xml?token=redacted'))).toBe(true);
  });

  it('shows feeds in /api/health?detail=1 without credentials in their URLs', async () => {
    const text = await (await fetch(`${app.url}/api/health?detail=1`, { headers: auth })).text();
    expect(text).toContain('/market.xml?token=redacted');
    expect(text).not.toContain(FEED_TOKEN);
  });
});

describe('GET /api/metrics', () => {
  it('is valid Prometheus exposition whose stream, event and fetch counters move', async () => {
    await waitUntil(async () => ((await (await fetch(`${app.url}/api/health`)).json()) as { activeStreams: number }).activeStreams === 0, 5000, 'no open streams');
    const before = await scrape();
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'market_pulse_redis_errors_total', 'market_pulse_stream_duration_seconds']) {
      expect(before.has(name), name).toBe(true);
    }
    expect(sampleValue(before, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sumOf(before, 'market_pulse_feed_fetches_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(sumOf(before, 'market_pulse_feed_fetch_duration_seconds_count')).toBeGreaterThan(0);
    const counter = (f: Map<string, Family>, name: string, labels: Record<string, string>) => sampleValue(f, name, labels) ?? 0;

    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=TSLA&interval=1000&duration=3000`, auth);
    await stream.waitFor((events) => events.some((e) => progressBody(e)?.news !== undefined));
    const during = await scrape();
    expect(sampleValue(during, 'market_pulse_streams_open', { endpoint: 'sse' })).toBe(1);
    await stream.done;
    await waitUntil(async () => sampleValue(await scrape(), 'market_pulse_streams_open', { endpoint: 'sse' }) === 0, 5000, 'open gauge back to 0');
    const after = await scrape();

    expect(counter(after, 'market_pulse_streams_started_total', { endpoint: 'sse', kind: 'new' })).toBe(
      counter(before, 'market_pulse_streams_started_total', { endpoint: 'sse', kind: 'new' }) + 1,
    );
    expect(counter(after, 'market_pulse_streams_ended_total', { endpoint: 'sse', reason: 'complete' })).toBe(
      counter(before, 'market_pulse_streams_ended_total', { endpoint: 'sse', reason: 'complete' }) + 1,
    );
    expect(counter(after, 'market_pulse_stream_events_sent_total', { endpoint: 'sse', type: 'news' })).toBeGreaterThan(
      counter(before, 'market_pulse_stream_events_sent_total', { endpoint: 'sse', type: 'news' }),
    );
    expect(counter(after, 'market_pulse_stream_events_sent_total', { endpoint: 'sse', type: 'connected' })).toBe(
      counter(before, 'market_pulse_stream_events_sent_total', { endpoint: 'sse', type: 'connected' }) + 1,
    );
    expect(counter(after, 'market_pulse_articles_delivered_total', { endpoint: 'sse' })).toBeGreaterThan(
      counter(before, 'market_pulse_articles_delivered_total', { endpoint: 'sse' }),
    );
    expect(sumOf(after, 'market_pulse_stream_duration_seconds_count', { endpoint: 'sse' })).toBeGreaterThan(
      sumOf(before, 'market_pulse_stream_duration_seconds_count', { endpoint: 'sse' }),
    );
  });
});

describe('a failing then recovering feed', () => {
  it('shows healthy → failing → backed off → healthy in logs and /api/health?detail=1', async () => {
    const path = '/sym/FAIL.xml';
    const entry = async () => (await detail()).feeds.find((f) => f.feed.includes(path));
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=FAIL&interval=1000&duration=60000`, auth);
    try {
      const healthy = await waitUntil(async () => {
        const e = await entry();
        return e?.state === 'healthy' ? e : undefined;
      }, 10_000, 'healthy FAIL feed');
      expect(healthy).toMatchObject({ consecutiveFailures: 0, validators: { etag: true } });
      expect(healthy.lastSuccessAt).toBeDefined();

      feeds.set(path, { kind: 'status', status: 500 });
      const failing = await waitForLine((l) => l.event === 'feed.failing' && String(l.feed).includes(path), 10_000, 'feed.failing');
      expect(failing).toMatchObject({ level: 'warn', errorKind: 'http', failures: 1 });
      expect(String(failing.error)).toContain('500');
      const down = await waitUntil(async () => {
        const e = await entry();
        return e && e.consecutiveFailures >= 1 ? e : undefined;
      }, 10_000, 'failure in detail');
      expect(['failing', 'backed-off']).toContain(down.state);
      expect(down.lastErrorKind).toBe('http');
      expect(down.failingSince).toBeDefined();
      expect(down.backoffMs).toBeGreaterThan(0);
      const summary = (await detail()).feedSummary;
      expect((summary.failing ?? 0) + (summary.backedOff ?? 0)).toBeGreaterThanOrEqual(1);

      const backedOff = await waitForLine((l) => l.event === 'feed.backed_off' && String(l.feed).includes(path), 15_000, 'feed.backed_off');
      expect(backedOff).toMatchObject({ level: 'warn', failures: 2 });
      expect(backedOff.backoffMs as number).toBeGreaterThan(failing.backoffMs as number);
      const slowed = await waitUntil(async () => {
        const e = await entry();
        return e?.state === 'backed-off' ? e : undefined;
      }, 10_000, 'backed-off in detail');
      expect(slowed.consecutiveFailures).toBeGreaterThanOrEqual(2);
      expect(slowed.backoffMs).toBeGreaterThan(1000);

      const restoredAt = Date.now();
      feeds.set(path, rssFeed('FAIL', [item('FAIL-2', 'FAIL recovers')]));
      const recovered = await waitForLine((l) => l.event === 'feed.recovered' && String(l.feed).includes(path), 20_000, 'feed.recovered');
      expect(recovered.level).toBe('info');
      expect(recovered.failures as number).toBeGreaterThanOrEqual(2);
      expect(recovered.lastErrorKind).toBe('http');
      expect(recovered.downForMs as number).toBeGreaterThan(0);
      const back = await entry();
      expect(back).toMatchObject({ state: 'healthy', consecutiveFailures: 0, lastErrorKind: 'http' });
      expect(Date.parse(back!.lastSuccessAt!)).toBeGreaterThanOrEqual(restoredAt - 1000);
      expect(back!.failingSince).toBeUndefined();

      const families = await scrape();
      expect(sumOf(families, 'market_pulse_feed_fetches_total', { outcome: 'http' })).toBeGreaterThanOrEqual(2);
      expect(sumOf(families, 'market_pulse_feeds', { state: 'healthy' })).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }
  });
});

describe('tracing', () => {
  it('exports feed.fetch and stream spans over OTLP when an endpoint is configured', async () => {
    const bodies: string[] = [];
    const collector: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(body);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const traced = await startApp({
      NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml ${feeds.url}/market.xml`,
      NEWS_MIN_POLL_MS: '1000',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    try {
      const stream = await openSse(`${traced.url}/api/mcp/stream-news?symbol=TSLA&interval=1000&duration=2000`);
      await stream.done;
      const names = () =>
        bodies.flatMap((b) =>
          (JSON.parse(b) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: Array<{ key: string }> }> }> }> }).resourceSpans.flatMap((rs) =>
            rs.scopeSpans.flatMap((ss) => ss.spans),
          ),
        );
      const spans = await waitUntil(() => {
        const all = names();
        return all.some((s) => s.name === 'stream') && all.some((s) => s.name === 'feed.fetch') ? all : undefined;
      }, 20_000, 'stream and feed.fetch spans');
      const fetchSpan = spans.find((s) => s.name === 'feed.fetch')!;
      expect(fetchSpan.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['market_pulse.feed.source', 'market_pulse.feed.outcome']));
      const streamSpan = spans.find((s) => s.name === 'stream')!;
      expect(streamSpan.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['market_pulse.stream.end_reason', 'market_pulse.symbol']));
    } finally {
      await traced.stop();
      await new Promise((r) => collector.close(r));
    }
  });
});
