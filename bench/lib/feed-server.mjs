/**
 * Local RSS upstream for the app under benchmark: one per-symbol feed and one market feed, each
 * publishing one new item per period (so every news tick has something new to deliver), honouring
 * If-None-Match like a well-behaved origin, and counting every request it gets per feed.
 */
import { createServer } from 'node:http';

const ITEMS_PER_FEED = 20;

function rss(feed, periodMs, current) {
  const items = [];
  for (let p = current; p > current - ITEMS_PER_FEED; p--) {
    items.push(`<item><title>${feed} bench headline ${p}: a title of typical length for market news</title>` +
      `<link>https://bench.example/${feed}/${p}</link><guid isPermaLink="false">bench-${feed}-${p}</guid>` +
      `<pubDate>${new Date(p * periodMs).toUTCString()}</pubDate>` +
      `<description>${'A summary of typical length. '.repeat(8).trim()}</description></item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench ${feed}</title>` +
    `<link>https://bench.example/${feed}</link><description>bench feed</description>${items.join('')}</channel></rss>`;
}

/** Starts the feed server; `periodMs` is how often each feed gains an item. */
export async function startFeedServer(periodMs) {
  /** feed name -> request times (ms) */
  let requests = new Map();
  const server = createServer((req, res) => {
    const match = /^\/feeds\/(symbol-[A-Za-z0-9.^=%-]+|market)\.xml$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const feed = match[1];
    if (!requests.has(feed)) requests.set(feed, []);
    requests.get(feed).push(Date.now());
    const current = Math.floor(Date.now() / periodMs);
    const etag = `"${feed}-${current}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag });
    res.end(rss(feed, periodMs, current));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    /** The NEWS_FEEDS value pointing the app at this server. */
    newsFeeds: `${base}/feeds/symbol-{symbol}.xml,${base}/feeds/market.xml`,
    /** Requests per feed in [from, to]. */
    countBetween(from, to) {
      const counts = {};
      for (const [feed, times] of requests) counts[feed] = times.filter((t) => t >= from && t <= to).length;
      return counts;
    },
    /** Gaps (ms) between consecutive requests for the same feed, for requests in [from, to]. */
    gapsBetween(from, to) {
      const gaps = [];
      for (const times of requests.values()) {
        const inWindow = times.filter((t) => t >= from && t <= to);
        for (let i = 1; i < inWindow.length; i++) gaps.push(inWindow[i] - inWindow[i - 1]);
      }
      return gaps;
    },
    reset() {
      requests = new Map();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
