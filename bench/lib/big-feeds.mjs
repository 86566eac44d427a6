/**
 * Scenario 5's heavy feeds, as feed-server.mjs `extraFeeds` generators (periodMs, current) → RSS:
 * like the normal feeds, each gains one item per period, so the app fetches and parses the whole
 * document again every period (the worst case: no 304).
 *
 * - bytesFeed: just under a byte budget (NEWS_MAX_FEED_BYTES, 5 MiB by default) made of large items
 *   (full-text entries of ~25 KiB): the cost of reading many bytes.
 * - itemsFeed: `count` items of typical size: the cost of turning many items into articles.
 */

const SENTENCE = 'Shares moved after the company reported quarterly results and updated its guidance for the year. ';

function item(feed, periodMs, p, bodyChars) {
  const body = SENTENCE.repeat(Math.ceil(bodyChars / SENTENCE.length)).slice(0, bodyChars);
  return `<item><title>${feed} bench headline ${p}: a title of typical length for market news</title>` +
    `<link>https://bench.example/${feed}/${p}</link><guid isPermaLink="false">bench-${feed}-${p}</guid>` +
    `<pubDate>${new Date(p * periodMs).toUTCString()}</pubDate><description>${body}</description></item>`;
}

function document(feed, items) {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench ${feed}</title>` +
    `<link>https://bench.example/${feed}</link><description>bench feed</description>${items.join('')}</channel></rss>`;
}

/** A feed of ~25 KiB items filling `maxBytes` less a 16 KiB margin (the app refuses a feed over its cap). */
export function bytesFeed(maxBytes, itemChars = 25 * 1024) {
  return (feed, periodMs, current) => {
    const items = [];
    let size = 512;
    for (let p = current; ; p--) {
      const next = item(feed, periodMs, p, itemChars);
      if (size + next.length > maxBytes - 16 * 1024) break;
      items.push(next);
      size += next.length;
    }
    return document(feed, items);
  };
}

/** A feed of `count` items of typical size (a 240-character summary). */
export function itemsFeed(count) {
  return (feed, periodMs, current) => document(feed, Array.from({ length: count }, (_, k) => item(feed, periodMs, current - k, 240)));
}

/** A generator's document size in bytes (for the results: what was parsed). */
export function bigFeedBytes(generator, feed, periodMs = 5000) {
  return Buffer.byteLength(generator(feed, periodMs, Math.floor(Date.now() / periodMs)));
}
