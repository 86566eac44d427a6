import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions } from '@/lib/news/fetch/fetch-feed';
import { rssFeed, startFeedServer, type FeedServer } from '@/tests/support/feed-server';
import { waitFor } from '@/tests/support/wait';

const options: FetchOptions = { timeoutMs: 3000, maxBytes: 1024 * 1024, userAgent: 'market-pulse-test/1.0 (+mailto:ops@example.com)' };
const body = rssFeed('Test feed', [{ id: 'a', title: 'A headline', link: 'https://example.com/a', published: new Date('2025-11-25T10:00:00Z') }]);

/**
 * A bare server for what FeedServer cannot do: binary bodies and watching the socket that carried a
 * request close. (undici opens a fresh idle keep-alive connection after an abort; that one is its
 * pool's business and closes on its own keep-alive timeout, so only request sockets are watched.)
 */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>) {
  const sockets = new Set<Socket>();
  const requestSockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requestSockets.add(req.socket);
    void handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requestSockets.size,
    /** Request sockets still open. */
    openRequestSockets: () => [...requestSockets].filter((socket) => !socket.destroyed).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}


let feeds: FeedServer;
beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds.close();
});

describe('fetchFeed against a real HTTP server', () => {
  it('fetches the body, sends the configured User-Agent and an RSS/Atom Accept, returns validators', async () => {
    feeds.set('/ok.xml', body);
    const outcome = await fetchFeed(`${feeds.url}/ok.xml`, options);
    expect(outcome).toMatchObject({ kind: 'ok', status: 200, text: body, validators: { etag: expect.stringMatching(/^".+"$/) } });
    const headers = feeds.lastHeaders('/ok.xml')!;
    expect(headers['user-agent']).toBe(options.userAgent);
    expect(headers.accept).toContain('application/rss+xml');
    expect(headers['if-none-match']).toBeUndefined();
  });

  it('a URL with user-info fetches with those credentials as HTTP Basic, not with them in the URL', async () => {
    feeds.set('/private.xml', body);
    const url = new URL(`${feeds.url}/private.xml`);
    url.username = 'reader';
    url.password = 'p@ss:word';
    const result = await fetchFeed(url.toString(), options);
    expect(result.kind).toBe('ok');
    expect(feeds.lastHeaders('/private.xml')?.authorization).toBe(`Basic ${Buffer.from('reader:p@ss:word').toString('base64')}`);
  });

  it('conditional GET: stored validators are sent and 304 is "not-modified", keeping the validators', async () => {
    feeds.set('/cond.xml', body);
    const first = await fetchFeed(`${feeds.url}/cond.xml`, options);
    if (first.kind !== 'ok') throw new Error(`first fetch failed: ${JSON.stringify(first)}`);
    const validators = { ...first.validators, lastModified: 'Tue, 25 Nov 2025 10:00:00 GMT' };
    const second = await fetchFeed(`${feeds.url}/cond.xml`, { ...options, validators });
    expect(second).toEqual({ kind: 'not-modified', validators });
    expect(feeds.notModifiedCount('/cond.xml')).toBe(1);
    expect(feeds.lastHeaders('/cond.xml')).toMatchObject({
      'if-none-match': first.validators.etag,
      'if-modified-since': 'Tue, 25 Nov 2025 10:00:00 GMT',
    });
    // A changed feed answers 200 again with a new ETag.
    feeds.set('/cond.xml', `${body}\n`);
    const third = await fetchFeed(`${feeds.url}/cond.xml`, { ...options, validators });
    expect(third.kind).toBe('ok');
    if (third.kind === 'ok') expect(third.validators.etag).not.toBe(first.validators.etag);
  });

  it('a hanging server: times out on schedule and the connection is really closed', async () => {
    const hang = await rawServer(() => undefined);
    try {
      const started = Date.now();
      const outcome = await fetchFeed(`${hang.url}/feed.xml`, { ...options, timeoutMs: 300 });
      expect(outcome).toMatchObject({ kind: 'error', errorKind: 'timeout' });
      expect(Date.now() - started).toBeLessThan(3000); // 300 ms deadline; generous for a loaded machine
      // rss-parser's parseURL left this socket open; the abort must close it.
      expect(hang.requests()).toBe(1);
      expect(await waitFor(() => hang.openRequestSockets() === 0, 2000)).toBe(true);
    } finally {
      await hang.close();
    }
  });

  it('hang via FeedServer: timeout kind and message naming the limit', async () => {
    feeds.set('/hang.xml', { kind: 'hang' });
    expect(await fetchFeed(`${feeds.url}/hang.xml`, { ...options, timeoutMs: 200 })).toEqual({
      kind: 'error', errorKind: 'timeout', message: 'feed did not answer within 200 ms',
    });
  });

  it('a body dripping in past the deadline is a timeout (the deadline covers the whole exchange)', async () => {
    feeds.set('/drip.xml', { kind: 'drip', body, bytesPerChunk: 5, everyMs: 50 }); // ~5 s in total
    const started = Date.now();
    const outcome = await fetchFeed(`${feeds.url}/drip.xml`, { ...options, timeoutMs: 600 });
    expect(outcome).toMatchObject({ kind: 'error', errorKind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a slow but timely drip is fine', async () => {
    feeds.set('/slow.xml', { kind: 'drip', body, bytesPerChunk: 200, everyMs: 10 });
    expect(await fetchFeed(`${feeds.url}/slow.xml`, options)).toMatchObject({ kind: 'ok', text: body });
  });

  it('an endless body is cut at the size cap without buffering it all', async () => {
    feeds.set('/huge.xml', { kind: 'huge', bytes: 200 * 1024 * 1024 });
    const started = Date.now();
    const outcome = await fetchFeed(`${feeds.url}/huge.xml`, { ...options, maxBytes: 512 * 1024 });
    expect(outcome).toEqual({ kind: 'error', errorKind: 'too-large', message: 'feed is larger than 524288 bytes' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a declared Content-Length over the cap is refused up front', async () => {
    let bytesWritten = 0;
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024, 'a'));
      bytesWritten += 1024;
    });
    try {
      expect(await fetchFeed(`${server.url}/x.xml`, { ...options, maxBytes: 4096 })).toMatchObject({ kind: 'error', errorKind: 'too-large' });
      expect(bytesWritten).toBe(1024);
      expect(await waitFor(() => server.openRequestSockets() === 0, 2000)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a body exactly at the cap is accepted', async () => {
    feeds.set('/exact.xml', 'x'.repeat(4096));
    expect(await fetchFeed(`${feeds.url}/exact.xml`, { ...options, maxBytes: 4096 })).toMatchObject({ kind: 'ok' });
    feeds.set('/exact.xml', 'x'.repeat(4097));
    expect(await fetchFeed(`${feeds.url}/exact.xml`, { ...options, maxBytes: 4096 })).toMatchObject({ kind: 'error', errorKind: 'too-large' });
  });

  it('429 with Retry-After in seconds', async () => {
    feeds.set('/429.xml', { kind: 'status', status: 429, retryAfter: '120' });
    expect(await fetchFeed(`${feeds.url}/429.xml`, options)).toEqual({
      kind: 'error', errorKind: 'rate-limited', message: 'feed is rate limiting us (HTTP 429)', status: 429, retryAfterMs: 120_000,
    });
  });

  it('503 with Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    feeds.set('/503.xml', { kind: 'status', status: 503, retryAfter: at });
    const outcome = await fetchFeed(`${feeds.url}/503.xml`, options);
    expect(outcome).toMatchObject({ kind: 'error', errorKind: 'rate-limited', status: 503 });
    if (outcome.kind !== 'error') return;
    expect(outcome.retryAfterMs).toBeGreaterThan(80_000); // 90 s minus HTTP-date second rounding and test latency
    expect(outcome.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('429 without Retry-After has no retryAfterMs', async () => {
    feeds.set('/429b.xml', { kind: 'status', status: 429 });
    const outcome = await fetchFeed(`${feeds.url}/429b.xml`, options);
    expect(outcome).toMatchObject({ kind: 'error', errorKind: 'rate-limited' });
    expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it.each([500, 404, 403, 410])('HTTP %d is an http error with the status, never the HTML body', async (status) => {
    feeds.set(`/s${status}.xml`, { kind: 'status', status });
    expect(await fetchFeed(`${feeds.url}/s${status}.xml`, options)).toEqual({
      kind: 'error', errorKind: 'http', message: `feed answered HTTP ${status}`, status,
    });
  });

  it('a connection reset is a network error with a short message', async () => {
    feeds.set('/reset.xml', { kind: 'reset' });
    const outcome = await fetchFeed(`${feeds.url}/reset.xml`, options);
    expect(outcome).toMatchObject({ kind: 'error', errorKind: 'network' });
    if (outcome.kind === 'error') expect(outcome.message).not.toMatch(/\n|at |undici/);
  });

  it('connection refused is a network error', async () => {
    const server = await rawServer(() => undefined);
    const url = server.url;
    await server.close();
    expect(await fetchFeed(`${url}/x.xml`, options)).toEqual({ kind: 'error', errorKind: 'network', message: 'connection refused' });
  });

  it.each(['not a url', 'file:///etc/passwd', 'ftp://example.com/feed', 'data:text/xml,<rss/>'])('refuses %j without any I/O', async (url) => {
    expect(await fetchFeed(url, options)).toMatchObject({ kind: 'error', errorKind: 'network' });
  });

  it('an already-aborted signal does no request', async () => {
    feeds.resetCounts();
    feeds.set('/never.xml', body);
    expect(await fetchFeed(`${feeds.url}/never.xml`, { ...options, signal: AbortSignal.abort() })).toMatchObject({ kind: 'error', errorKind: 'aborted' });
    expect(feeds.count('/never.xml')).toBe(0);
  });

  it('aborting mid-request is "aborted", not a timeout, and prompt', async () => {
    feeds.set('/hang2.xml', { kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await fetchFeed(`${feeds.url}/hang2.xml`, { ...options, timeoutMs: 10_000, signal: controller.signal })).toMatchObject({
      kind: 'error', errorKind: 'aborted',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('decodes with the charset from the response header', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=ISO-8859-1' });
      res.end(Buffer.from('<t>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale</t>', 'latin1'));
    });
    try {
      expect(await fetchFeed(`${server.url}/x.xml`, options)).toMatchObject({ kind: 'ok', text: '<t>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale</t>' });
    } finally {
      await server.close();
    }
  });

  it('decodes a body that arrives in small pieces, characters split across them', async () => {
    const text = `<?xml version="1.0" encoding="windows-1252"?><rss><t>${'Soci\u00e9t\u00e9 \u20ac5 \u201cquoted\u201d \u2014 '.repeat(30)}</t></rss>`;
    const utf8 = text.replace('windows-1252', 'utf-8');
    const utf16 = text.replace('encoding="windows-1252"', '');
    const bodies: Record<string, Buffer> = {
      '/utf8.xml': Buffer.from(utf8, 'utf8'),
      '/cp1252.xml': Buffer.from(text.replace(/[\u20ac\u201c\u201d\u2014]/g, (c) => ({ '\u20ac': '\x80', '\u201c': '\x93', '\u201d': '\x94', '\u2014': '\x97' })[c]!), 'latin1'),
      '/utf16.xml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, 'utf16le')]),
      '/gzip.xml.gz': gzipSync(Buffer.from(utf8, 'utf8'), { level: 0 }),
    };
    const server = await rawServer(async (req, res) => {
      const bytes = bodies[req.url!]!;
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      // Odd sizes, so multi-byte characters and UTF-16 code units fall across pieces.
      for (let at = 0; at < bytes.length; at += 7) {
        res.write(bytes.subarray(at, at + 7));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      res.end();
    });
    try {
      expect(bodies['/gzip.xml.gz']!.length).toBeGreaterThan(256);
      expect(await fetchFeed(`${server.url}/utf8.xml`, options)).toMatchObject({ kind: 'ok', text: utf8 });
      expect(await fetchFeed(`${server.url}/cp1252.xml`, options)).toMatchObject({ kind: 'ok', text });
      expect(await fetchFeed(`${server.url}/utf16.xml`, options)).toMatchObject({ kind: 'ok', text: utf16 });
      expect(await fetchFeed(`${server.url}/gzip.xml.gz`, options)).toMatchObject({ kind: 'ok', text: utf8 });
    } finally {
      await server.close();
    }
  }, 20_000);

  it('a gzip body: decoded whether or not it is labelled Content-Encoding', async () => {
    const gz = gzipSync(Buffer.from(body));
    const server = await rawServer((req, res) => {
      const labelled = req.url === '/labelled.xml';
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ...(labelled ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(gz);
    });
    try {
      expect(await fetchFeed(`${server.url}/labelled.xml`, options)).toMatchObject({ kind: 'ok', text: body });
      expect(await fetchFeed(`${server.url}/plain.xml.gz`, options)).toMatchObject({ kind: 'ok', text: body });
    } finally {
      await server.close();
    }
  });

  it('a gzip bomb is cut at the cap (compressed or not labelled)', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a')); // ~64 kB on the wire
    const server = await rawServer((req, res) => {
      const labelled = req.url === '/labelled.xml';
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ...(labelled ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(bomb);
    });
    try {
      expect(bomb.length).toBeLessThan(options.maxBytes);
      expect(await fetchFeed(`${server.url}/labelled.xml`, options)).toMatchObject({ kind: 'error', errorKind: 'too-large' });
      expect(await fetchFeed(`${server.url}/plain.xml.gz`, options)).toMatchObject({ kind: 'error', errorKind: 'too-large' });
    } finally {
      await server.close();
    }
  });
});
