/**
 * Local RSS upstream for the app under benchmark: one per-symbol feed and one market feed, each
 * publishing one new item per period (so every news tick has something new to deliver), honouring
 * If-None-Match like a well-behaved origin, and counting every request it gets per feed.
 *
 * Options (the scale scenarios): `host` to listen on another loopback address (a feed host of its
 * own: the app budgets requests per host, and labels its fetch metrics by host name), and
 * `extraFeeds` {name: (periodMs, current) => xml} served at /feeds/<name>.xml (the big feeds).
 */
import { createServer } from 'node:http';
import { maxInWindow } from './stats.mjs';

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
export async function startFeedServer(periodMs, { host = '127.0.0.1', extraFeeds = {} } = {}) {
  /** feed name -> request times (ms) */
  let requests = new Map();
  /** feed name -> {current, body}: a feed's document changes once a period, so it is built once a period (big feeds take a while to build). */
  const bodies = new Map();
  const server = createServer((req, res) => {
    const match = /^\/feeds\/(symbol-[A-Za-z0-9.^=%-]+|market|[a-z0-9-]+)\.xml$/.exec(req.url ?? '');
    const feed = match?.[1];
    if (!feed || (!feed.startsWith('symbol-') && feed !== 'market' && !extraFeeds[feed])) {
      res.writeHead(404).end();
      return;
    }
    if (!requests.has(feed)) requests.set(feed, []);
    requests.get(feed).push(Date.now());
    const current = Math.floor(Date.now() / periodMs);
    const etag = `"${feed}-${current}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    let cached = bodies.get(feed);
    if (cached?.current !== current) {
      cached = { current, body: (extraFeeds[feed] ?? rss)(feed, periodMs, current) };
      bodies.set(feed, cached);
    }
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag });
    res.end(cached.body);
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  const base = `http://${host}:${server.address().port}`;
  const inWindow = (times, from, to) => times.filter((t) => t >= from && t <= to);
  return {
    base,
    /** The NEWS_FEEDS value pointing the app at this server. */
    newsFeeds: `${base}/feeds/symbol-{symbol}.xml,${base}/feeds/market.xml`,
    /** The URL of an extra feed by name. */
    feedUrl: (name) => `${base}/feeds/${name}.xml`,
    /** Requests per feed in [from, to]. */
    countBetween(from, to) {
      const counts = {};
      for (const [feed, times] of requests) counts[feed] = inWindow(times, from, to).length;
      return counts;
    },
    /** Gaps (ms) between consecutive requests for the same feed, for requests in [from, to]. */
    gapsBetween(from, to) {
      const gaps = [];
      for (const times of requests.values()) {
        const within = inWindow(times, from, to);
        for (let i = 1; i < within.length; i++) gaps.push(within[i] - within[i - 1]);
      }
      return gaps;
    },
    /**
     * The most requests this server (one feed host) received in any `windowMs` window within
     * [from, to]: what NEWS_HOST_MAX_RPS promises to keep at or under the budget for 1000 ms.
     */
    maxRequestsInWindow(from, to, windowMs = 1000) {
      const all = [];
      for (const times of requests.values()) for (const t of inWindow(times, from, to)) all.push(t);
      return maxInWindow(all, windowMs);
    },
    /** Request times (ms) of one feed in [from, to]. */
    requestsBetween: (feed, from, to) => inWindow(requests.get(feed) ?? [], from, to),
    /** Each feed's first request time (ms), for feeds requested in [from, to]. */
    firstRequests(from, to) {
      const firsts = {};
      for (const [feed, times] of requests) {
        const first = times.find((t) => t >= from && t <= to);
        if (first !== undefined) firsts[feed] = first;
      }
      return firsts;
    },
    reset() {
      requests = new Map();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
