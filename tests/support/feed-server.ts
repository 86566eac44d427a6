import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One item of a generated feed. `published` omitted means the feed gives no date for it. */
export interface FeedItem {
  id: string;
  title: string;
  link: string;
  published?: Date;
  summary?: string;
}

/**
 * What a feed path answers. `feed` serves a body with ETag/Last-Modified and honours conditional GET
 * like a real CDN; the other kinds inject the upstream faults the app must survive.
 */
export type FeedBehaviour =
  | { kind: 'feed'; body: string; contentType?: string }
  | { kind: 'status'; status: number; body?: string; contentType?: string; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'drip'; body: string; bytesPerChunk?: number; everyMs?: number }
  | { kind: 'huge'; bytes: number };

export interface FeedServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Serves `body` (or a fault) at `path`, e.g. '/yahoo/TSLA.xml'. Replaces what was there. */
  set(path: string, behaviour: FeedBehaviour | string): void;
  /** Serves paths nobody `set` (instead of 404): for tests that ask for many distinct symbols. */
  setFallback(serve: ((path: string) => FeedBehaviour | undefined) | undefined): void;
  /** Requests received for `path` (ignoring the query string), or for every path when omitted. */
  count(path?: string): number;
  /** When each request arrived (ms), across all paths, oldest first. */
  arrivals(): number[];
  /** Requests answered 304 for `path`. */
  notModifiedCount(path: string): number;
  /** Request headers of the last request for `path`. */
  lastHeaders(path: string): IncomingMessage['headers'] | undefined;
  resetCounts(): void;
  close(): Promise<void>;
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** RSS 2.0 the way Yahoo/CNBC/MarketWatch write it (RFC 822 dates, guid, HTML in description). */
export function rssFeed(title: string, items: readonly FeedItem[]): string {
  const entries = items
    .map(
      (item) => `    <item>
      <title>${xmlEscape(item.title)}</title>
      <link>${xmlEscape(item.link)}</link>
      <guid isPermaLink="false">${xmlEscape(item.id)}</guid>
      ${item.published ? `<pubDate>${item.published.toUTCString()}</pubDate>` : ''}
      <description>${xmlEscape(item.summary ?? `<p>${item.title}</p>`)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${xmlEscape(title)}</title>
    <link>https://example.com/</link>
    <description>${xmlEscape(title)}</description>
${entries}
  </channel>
</rss>
`;
}

/** Atom the way SEC EDGAR writes it (ISO `updated`, `id` URN, summary type="html"). */
export function atomFeed(title: string, items: readonly FeedItem[]): string {
  const entries = items
    .map(
      (item) => `  <entry>
    <title>${xmlEscape(item.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlEscape(item.link)}"/>
    <id>${xmlEscape(item.id)}</id>
    ${item.published ? `<updated>${item.published.toISOString()}</updated>` : ''}
    <summary type="html">${xmlEscape(item.summary ?? item.title)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xmlEscape(title)}</title>
  <id>urn:test:${xmlEscape(title)}</id>
  <updated>${new Date().toISOString()}</updated>
${entries}
</feed>
`;
}

/** A local HTTP server standing in for the real news feeds, with request counting and fault injection. */
export async function startFeedServer(): Promise<FeedServer> {
  const behaviours = new Map<string, FeedBehaviour>();
  const counts = new Map<string, number>();
  const notModified = new Map<string, number>();
  const headers = new Map<string, IncomingMessage['headers']>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let total = 0;
  const arrivals: number[] = [];
  let fallback: ((path: string) => FeedBehaviour | undefined) | undefined;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    total += 1;
    arrivals.push(Date.now());
    counts.set(path, (counts.get(path) ?? 0) + 1);
    headers.set(path, req.headers);
    const behaviour = behaviours.get(path) ?? fallback?.(path);
    if (!behaviour) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    answer(behaviour, req, res, path);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function answer(b: FeedBehaviour, req: IncomingMessage, res: ServerResponse, path: string): void {
    switch (b.kind) {
      case 'feed': {
        const etag = `"${createHash('sha1').update(b.body).digest('hex').slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag) {
          notModified.set(path, (notModified.get(path) ?? 0) + 1);
          res.writeHead(304, { ETag: etag }).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': b.contentType ?? 'application/rss+xml; charset=utf-8', ETag: etag });
        res.end(b.body);
        return;
      }
      case 'status': {
        const h: Record<string, string> = { 'Content-Type': b.contentType ?? 'text/html' };
        if (b.retryAfter) h['Retry-After'] = b.retryAfter;
        res.writeHead(b.status, h).end(b.body ?? `<html><body>Error ${b.status}</body></html>`);
        return;
      }
      case 'hang':
        return; // never answers; the socket is destroyed on close()
      case 'reset':
        req.socket.destroy();
        return;
      case 'drip': {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        let offset = 0;
        const step = b.bytesPerChunk ?? 1;
        const timer = setInterval(() => {
          if (offset >= b.body.length || res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            res.end();
            return;
          }
          res.write(b.body.slice(offset, offset + step));
          offset += step;
        }, b.everyMs ?? 200);
        timers.add(timer);
        return;
      }
      case 'huge': {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < b.bytes && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    set(path, behaviour) {
      behaviours.set(path, typeof behaviour === 'string' ? { kind: 'feed', body: behaviour } : behaviour);
    },
    setFallback(serve) {
      fallback = serve;
    },
    count: (path) => (path === undefined ? total : (counts.get(path) ?? 0)),
    arrivals: () => [...arrivals],
    notModifiedCount: (path) => notModified.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    resetCounts() {
      counts.clear();
      notModified.clear();
      arrivals.length = 0;
      total = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
