import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec, scopeOf, type StreamCursor } from '@/lib/stream/cursor';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { readCursor, TEST_CURSOR_SECRET } from '@/tests/support/cursors';
import { openSse, type SseStream } from '@/tests/support/sse-client';
import { waitUntil } from '@/tests/support/wait';
import { activeStreams, call, mcpCall, lastMessage } from './support';

/**
 * Signed cursors against the production build (contract §6.1), attacked the way the review did:
 * tampered, forged, out-of-range and foreign ids on both the Last-Event-ID header and the
 * lastEventId parameter, an over-limit client replaying ids, and one honest stream resumed again
 * and again. Behind a (simulated) trusted proxy, so each test is its own client.
 */

const MAX_DURATION = 120_000;
const env = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_PER_MINUTE: '10',
  MAX_STREAMS_PER_CLIENT: '5',
  STREAM_MAX_DURATION_MS: String(MAX_DURATION),
  STREAM_CURSOR_SECRET: TEST_CURSOR_SECRET,
};
let app: AppServer;
let twin: AppServer;
let stranger: AppServer;

beforeAll(async () => {
  [app, twin, stranger] = await Promise.all([
    startApp(env),
    startApp(env),
    startApp({ ...env, STREAM_CURSOR_SECRET: 'another-deployment-secret-0123456789' }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), twin?.stop(), stranger?.stop()]);
});

let clients = 0;
/** A client address of its own for every test: counts never mix between tests. */
const client = () => ({ 'X-Forwarded-For': `198.18.${Math.floor(clients / 250)}.${(clients++ % 250) + 1}` });
const url = (base: string, symbol = 'TSLA', query = 'interval=1000&duration=60000') => `${base}/api/mcp/stream-news?symbol=${symbol}&${query}`;
const remaining = (res: { headers: Headers }) => Number(res.headers.get('ratelimit-remaining'));

/** Opens a stream and waits for its first news event's id. */
async function started(base: string, headers: Record<string, string>, symbol = 'TSLA'): Promise<{ stream: SseStream; id: string }> {
  const stream = await openSse(url(base, symbol), headers);
  expect(stream.status).toBe(200);
  await stream.waitFor((events) => events.filter((e) => e.id).length >= 2, 10_000);
  return { stream, id: stream.events.filter((e) => e.id).at(-1)!.id! };
}

/** Replaces the character at `index` with another character of the id alphabet. */
const flip = (id: string, index: number) => id.slice(0, index) + (id[index] === '0' ? '1' : '0') + id.slice(index + 1);

describe('tampered, forged and out-of-range cursors', () => {
  it('are a 400 naming the field, on the header and the query alike, start nothing and cost nothing', async () => {
    const who = client();
    const { stream, id } = await started(app.url, who);
    stream.close();
    const real = readCursor(id);
    const codec = createCursorCodec(TEST_CURSOR_SECRET);
    const now = Date.now();
    const signed = (change: Partial<StreamCursor>) => codec.encode({ ...real, ...change });
    const mac = id.lastIndexOf('.') + 1;
    const variants: Record<string, string> = {
      'a character of the stream id changed': flip(id, 5),
      'a character of the end time changed': flip(id, id.indexOf('.', id.indexOf('.', 3) + 1) + 2),
      'the signature changed': flip(id, id.length - 1),
      'the signature cut short': id.slice(0, -1),
      'no signature (the old unsigned form)': id.slice(0, mac - 1),
      'an old v1 id': 'v1.abcdefghij.mww98w9k.mww993zc.mww98w9o.947ff3ceff03.b',
      'signed by another deployment': createCursorCodec('another-deployment-secret-0123456789').encode(real),
      'starting 30 days ahead': signed({ startedAt: now + 30 * 86_400_000, endsAt: now + 30 * 86_400_000 + 60_000, at: now + 30 * 86_400_000 }),
      'spanning more than STREAM_MAX_DURATION_MS': signed({ startedAt: now, endsAt: now + MAX_DURATION + 1, at: now }),
      'ending in ten years': signed({ startedAt: now, endsAt: now + 10 * 365 * 86_400_000, at: now }),
      'a time outside the Date range': signed({ startedAt: 8.64e15 - 1000, endsAt: 8.64e15 + 1000, at: 8.64e15 }),
      'of another symbol': codec.encode({ ...real, scope: scopeOf(['AAPL']) }),
    };
    for (const [what, bad] of Object.entries(variants)) {
      const viaHeader = await call(url(app.url), { headers: { ...who, 'Last-Event-ID': bad } });
      expect(viaHeader.status, `${what} (header)`).toBe(400);
      expect(viaHeader.json().error.code).toBe(-32602);
      expect(viaHeader.json().error.message, what).toMatch(/^Last-Event-ID /);
      expect(Object.keys(viaHeader.json().error.data!.fields as object)).toEqual(['Last-Event-ID']);
      const viaQuery = await call(`${url(app.url)}&lastEventId=${encodeURIComponent(bad)}`, { headers: who });
      expect(viaQuery.status, `${what} (query)`).toBe(400);
      expect(viaQuery.json().error.message, what).toMatch(/^lastEventId /);
      expect(viaQuery.text).not.toMatch(/Invalid time value|at \//);
    }
    expect(await activeStreams(app.url)).toBe(0);
    // 24 refused requests later, this client has spent one start: the 400s were never charged.
    const next = await openSse(url(app.url), who);
    expect(next.status).toBe(200);
    expect(remaining(next)).toBeGreaterThanOrEqual(8);
    next.close();
  });

  it('an id that ended answers 204 only when it verifies; a forged "ended" id is a 400', async () => {
    const who = client();
    const { stream, id } = await started(app.url, who);
    stream.close();
    const real = readCursor(id);
    const ended = createCursorCodec(TEST_CURSOR_SECRET).encode({ ...real, startedAt: Date.now() - 70_000, endsAt: Date.now() - 10_000, at: Date.now() - 11_000 });
    expect((await call(url(app.url), { headers: { ...who, 'Last-Event-ID': ended } })).status).toBe(204);
    expect((await call(url(app.url), { headers: { ...who, 'Last-Event-ID': flip(ended, ended.length - 3) } })).status).toBe(400);
  });
});

describe('resumes and the concurrency cap', () => {
  it('a client over its limits replaying made-up ids never holds more than its cap; each real reconnect replaces the connection it continues', async () => {
    const who = client();
    const own = await Promise.all(Array.from({ length: 5 }, () => started(app.url, who)));
    const open = own.map((s) => s.stream);
    try {
      expect(await activeStreams(app.url)).toBe(5);
      expect((await call(url(app.url), { headers: who })).status).toBe(429);
      // Ten made-up cursors, each twice (the review's attack): none is a stream.
      for (let i = 0; i < 10; i++) {
        const madeUp = flip(own[i % 5]!.id, 6 + i);
        for (let attempt = 0; attempt < 2; attempt++) {
          expect((await call(url(app.url), { headers: { ...who, 'Last-Event-ID': madeUp } })).status).toBe(400);
        }
      }
      expect(await activeStreams(app.url)).toBe(5);
      // One honest stream resumed ten times: the old connection ends as the new one starts, so the
      // client never holds more than its five streams, and the reconnects are free.
      let current = own[0]!.stream;
      for (let i = 0; i < 10; i++) {
        const resumed = await openSse(url(app.url), { ...who, 'Last-Event-ID': own[0]!.id });
        open.push(resumed);
        expect(resumed.status, `resume ${i + 1}`).toBe(200);
        await current.done; // the replaced connection is closed by the server
        expect(await activeStreams(app.url)).toBe(5);
        current = resumed;
      }
    } finally {
      open.forEach((s) => s.close());
    }
    await waitUntil(async () => (await activeStreams(app.url)) === 0, 5_000, 'streams closed');
  });

  it('a genuine reconnect is free when the rate limit is spent; a verified id of someone else\'s stream is charged', async () => {
    const who = client();
    const { stream, id } = await started(app.url, who);
    stream.close();
    let refused = false;
    for (let i = 0; i < 12 && !refused; i++) refused = (await call(url(app.url, 'TSLA', 'interval=1000&duration=1000'), { headers: who })).status === 429;
    expect(refused, 'the rate limit is spent').toBe(true);
    const resumed = await openSse(url(app.url), { ...who, 'Last-Event-ID': id });
    expect(resumed.status).toBe(200);
    resumed.close();
    // Another client holding this id (a leaked URL, a new address) pays for a start like anyone.
    const other = client();
    const elsewhere = await openSse(url(app.url), { ...other, 'Last-Event-ID': id });
    expect(elsewhere.status).toBe(200);
    expect(remaining(elsewhere)).toBe(9);
    elsewhere.close();
  });
});

describe('across instances', () => {
  it('instances sharing STREAM_CURSOR_SECRET accept each other\'s ids; a deployment with another secret refuses them with a 400', async () => {
    const who = client();
    const { stream, id } = await started(app.url, who);
    stream.close();
    const onTwin = await openSse(url(twin.url), { ...who, 'Last-Event-ID': id });
    expect(onTwin.status).toBe(200);
    await onTwin.waitFor((events) => events.some((e) => e.comments.includes('resumed')), 5_000);
    onTwin.close();
    const onStranger = await call(url(stranger.url), { headers: { ...who, 'Last-Event-ID': id } });
    expect(onStranger.status).toBe(400);
    expect(onStranger.json().error.message).toMatch(/^Last-Event-ID is not an event id this API issued/);
  });
});

describe('MCP since', () => {
  it('a tampered or foreign cursor as `since` is a tool error naming since; a real one is accepted', async () => {
    const who = client();
    const { stream, id } = await started(app.url, who);
    stream.close();
    const callWith = async (since: string) =>
      lastMessage(
        await mcpCall(app.url, who, {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'stream_market_news', arguments: { symbol: 'TSLA', duration: 1000, interval: 1000, since } },
        }),
      ).result as { isError?: boolean; content: Array<{ text: string }> };
    for (const bad of [flip(id, id.length - 2), createCursorCodec('another-deployment-secret-0123456789').encode(readCursor(id))]) {
      const result = await callWith(bad);
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/since is not an event id this API issued/);
    }
    const foreign = await callWith(createCursorCodec(TEST_CURSOR_SECRET).encode({ ...readCursor(id), scope: scopeOf(['NVDA']) }));
    expect(foreign.content[0]!.text).toMatch(/since belongs to a stream of other symbols/);
    expect((await callWith(id)).isError).toBeFalsy();
  });
});
