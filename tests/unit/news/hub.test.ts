import { afterAll, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import type { NewsHub as NewsHubClass } from '@/lib/news/hub/news-hub';
import { atomFeed, rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { sleep } from '@/tests/support/wait';

/**
 * NewsHub with NEWS_FEEDS pointing at a local feed server: a per-symbol feed and a market feed.
 * Every test builds its own hub (the process-wide one lives on globalThis) and its own symbol.
 */
let feeds: FeedServer;
let NewsHub: typeof NewsHubClass;
let parseFeedConfig: typeof import('@/lib/news/feeds').parseFeedConfig;
let feedsForSymbol: typeof import('@/lib/news/feeds').feedsForSymbol;

beforeAll(async () => {
  feeds = await startFeedServer();
  process.env.NEWS_FEEDS = `${feeds.url}/sym/{symbol}.xml, ${feeds.url}/market-{m}.xml`.replace('{m}', 'wide');
  process.env.NEWS_MIN_POLL_MS = '250';
  process.env.NEWS_FETCH_TIMEOUT_MS = '1000';
  process.env.LOG_LEVEL = 'error';
  (await import('@/lib/config/settings')).resetSettings();
  ({ NewsHub } = await import('@/lib/news/hub/news-hub'));
  ({ parseFeedConfig, feedsForSymbol } = await import('@/lib/news/feeds'));
});
afterAll(async () => {
  await feeds.close();
});

const MARKET = '/market-wide.xml';
/** A signal that never aborts (a fresh one per wait, as every stream has its own). */
const never = () => new AbortController().signal;
const at = (minute: number) => new Date(Date.UTC(2025, 10, 25, 10, minute));

function hubFor({ onTestFinished }: Pick<TestContext, 'onTestFinished'>) {
  const hub = new NewsHub({ minPollMs: 250 });
  return {
    hub,
    subscribe(symbol: string, interval: number) {
      const sub = hub.subscribe([symbol], interval);
      onTestFinished(() => sub.close());
      return sub;
    },
  };
}

describe('NewsHub: merged view of a symbol\'s feeds', () => {
  it('per-symbol and market feeds merged newest first, with scope, source and firstSeenAt for undated items', async (ctx) => {
    const items: FeedItem[] = [
      { id: 's1', title: 'AAA shares jump after earnings beat estimates', link: 'https://a.example/s1', published: at(30) },
      { id: 's2', title: 'AAA files quarterly report with regulators', link: 'https://a.example/s2' },
    ];
    feeds.set('/sym/AAA.xml', rssFeed('AAA', items));
    feeds.set(MARKET, rssFeed('Market', [{ id: 'm1', title: 'Stocks open higher on rate cut hopes', link: 'https://m.example/m1', published: at(40) }]));
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('AAA', 1000);
    await sub.ready(never(), 3000);
    const snap = sub.snapshot();
    expect(snap).toMatchObject({ symbols: ['AAA'], complete: true, demo: false, warnings: [] });
    // The undated item sorts by when it was first seen (now), which is after both dated ones.
    expect(snap.articles.map((a) => a.article.id)).toEqual(['s2', 'm1', 's1']);
    expect(snap.articles.map((a) => a.article.scope)).toEqual(['symbol', 'market', 'symbol']);
    const undated = snap.articles[0]!.article;
    expect(undated).not.toHaveProperty('publishedAt');
    expect(Math.abs(Date.parse(undated.firstSeenAt!) - Date.now())).toBeLessThan(10_000);
    expect(snap.articles[1]!.article).not.toHaveProperty('firstSeenAt');
    expect(snap.articles[1]!.article.source).toBe('127.0.0.1');
    expect(Date.parse(snap.fetchedAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(sub.cursor()).toBeGreaterThanOrEqual(Math.max(...snap.articles.map((a) => a.seq)));
  });

  it('the same story in two feeds (tracking parameters differ) is one article, kept as symbol-scoped', async (ctx) => {
    feeds.set('/sym/DUP.xml', rssFeed('DUP', [
      { id: 'y-1', title: 'DUP to acquire rival in all-stock deal', link: 'https://news.example/story/dup-deal.html?.tsrc=rss', published: at(10) },
    ]));
    const { subscribe } = hubFor(ctx);
    // Market feed first carries it with different tracking and a different guid.
    feeds.set(MARKET, rssFeed('Market', [
      { id: 'cnbc-77', title: 'DUP to acquire rival in all-stock deal', link: 'https://NEWS.example/story/dup-deal.html?utm_source=rss&utm_medium=feed#top', published: at(10) },
      { id: 'cnbc-78', title: 'Oil slips as inventories rise more than expected', link: 'https://news.example/story/oil.html', published: at(5) },
    ]));
    const sub = subscribe('DUP', 1000);
    await sub.ready(never(), 3000);
    const articles = sub.snapshot().articles;
    expect(articles).toHaveLength(2);
    const deal = articles.find((a) => a.article.title.startsWith('DUP'))!;
    expect(deal.article.scope).toBe('symbol');
    expect(deal.article.url).toBe('https://news.example/story/dup-deal.html');
  });

  it('the same headline under two different links (long enough to identify a story) is one article', async (ctx) => {
    feeds.set('/sym/TTL.xml', rssFeed('TTL', [
      { id: 'a', title: 'TTL Corp names new chief executive officer', link: 'https://one.example/a', published: at(1) },
      { id: 'b', title: 'Update', link: 'https://one.example/update-1', published: at(2) },
    ]));
    feeds.set(MARKET, rssFeed('Market', [
      { id: 'c', title: 'TTL Corp Names New Chief Executive Officer!', link: 'https://two.example/c', published: at(1) },
      { id: 'd', title: 'Update', link: 'https://two.example/update-2', published: at(3) }, // too generic to merge
    ]));
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('TTL', 1000);
    await sub.ready(never(), 3000);
    const titles = sub.snapshot().articles.map((a) => a.article.title);
    expect(titles.filter((t) => /chief executive/i.test(t))).toHaveLength(1);
    expect(titles.filter((t) => t === 'Update')).toHaveLength(2);
  });

  // SEC EDGAR titles are the form name, identical for every filing of a type ("4 - Statement of
  // changes in beneficial ownership of securities" for each insider trade): equal titles within one
  // feed are distinct items, not copies of one story.
  it('distinct filings with the same form title are distinct articles', async (ctx) => {
    const form4 = '4 - Statement of changes in beneficial ownership of securities';
    feeds.set('/sym/FRM.xml', atomFeed('FRM filings', [1, 2, 3].map((i) => ({
      id: `urn:tag:sec.gov,2008:accession-number=0001-25-00000${i}`,
      title: form4,
      link: `https://www.sec.gov/Archives/edgar/data/1/00012500000${i}-index.htm`,
      published: at(i * 7),
    }))));
    feeds.set(MARKET, rssFeed('Market', []));
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('FRM', 1000);
    await sub.ready(never(), 3000);
    expect(sub.snapshot().articles.map((a) => a.article.id)).toHaveLength(3);
  });

  // Copies link up through different keys: A and D share a headline across feeds, K shares D's
  // link, H shares A's link. Whatever order they arrive in, they are one story. (Regression: keys of
  // an earlier absorbed copy kept pointing at a superseded story, so the story appeared twice.)
  it('copies linked through different keys merge into one story', async (ctx) => {
    const headline = 'MRG Corp agrees to buy a rival for twelve billion dollars';
    feeds.set('/sym/MRG.xml', rssFeed('MRG', [
      { id: 'A', title: headline, link: 'https://a.example/mrg', published: at(10) },
      { id: 'K', title: 'MRG deal: what it means for shareholders and rivals', link: 'https://d.example/mrg', published: at(11) },
    ]));
    feeds.set(MARKET, rssFeed('Market', [
      { id: 'D', title: headline, link: 'https://d.example/mrg', published: at(10) },
      { id: 'H', title: 'Rival accepts the MRG offer after weeks of talks', link: 'https://a.example/mrg', published: at(12) },
    ]));
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('MRG', 1000);
    await sub.ready(never(), 3000);
    const articles = sub.snapshot().articles;
    expect(articles).toHaveLength(1);
    expect(articles[0]!.article.scope).toBe('symbol');
  });

  it('a failing feed becomes a warning naming its source; the other feed still delivers', async (ctx) => {
    feeds.set('/sym/WRN.xml', atomFeed('WRN filings', [{ id: 'urn:w:1', title: 'WRN 8-K current report', link: 'https://sec.example/w1', published: at(1) }]));
    feeds.set(MARKET, { kind: 'status', status: 500 });
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('WRN', 1000);
    await sub.ready(never(), 3000);
    const snap = sub.snapshot();
    expect(snap.complete).toBe(true);
    expect(snap.articles.map((a) => a.article.id)).toEqual(['urn:w:1']);
    expect(snap.warnings).toEqual([{ source: '127.0.0.1', error: 'feed answered HTTP 500' }]);
  });

  it('ready() gives up after its timeout when a feed hangs, and at once on abort', async (ctx) => {
    feeds.set('/sym/HNG.xml', { kind: 'hang' });
    feeds.set(MARKET, rssFeed('Market', []));
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('HNG', 1000);
    let started = Date.now();
    await sub.ready(never(), 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sub.snapshot().complete).toBe(false);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    started = Date.now();
    await sub.ready(controller.signal, 60_000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  // A feed left idle holds a stale view: what its refetch brings is late, like a first answer, and
  // a stream holds what is older than its first event to `limit` (news-stream.ts) only if told.
  it('feeds woken from idle count as pending until their refetch answers; a watched feed does not', async (ctx) => {
    feeds.set('/sym/STL.xml', rssFeed('STL', [{ id: 'stl-1', title: 'STL story from before the idle spell', link: 'https://x.example/stl1', published: at(1) }]));
    feeds.set(MARKET, rssFeed('Market', []));
    const { subscribe } = hubFor(ctx);
    const first = subscribe('STL', 1000);
    await first.ready(never(), 3000);
    expect(first.pending()).toBe(0);
    first.close();
    await sleep(1_300); // past the period: both views are stale now
    feeds.set('/sym/STL.xml', { kind: 'hang' });
    const woken = subscribe('STL', 1000);
    expect(woken.pending()).toBe(2);
    await woken.nextAnswer(never(), 3000); // the market feed's refetch
    expect(woken.pending()).toBe(1);
    // A second subscription finds both feeds watched: a watched feed's view is never older than a
    // period, and is not late (even this one, whose round is still out).
    expect(subscribe('STL', 1000).pending()).toBe(0);
  });

  it('a symbol is URL-encoded into per-symbol feed URLs', async (ctx) => {
    feeds.set('/sym/%5EGSPC.xml', rssFeed('S&P', [{ id: 'g', title: 'S&P 500 closes at a record high', link: 'https://x.example/g', published: at(1) }]));
    const { subscribe } = hubFor(ctx);
    const sub = subscribe('^GSPC', 1000);
    await sub.ready(never(), 3000);
    expect(feeds.count('/sym/%5EGSPC.xml')).toBe(1);
    expect(sub.snapshot().articles.map((a) => a.article.id)).toContain('g');
  });
});

describe('NewsHub: sharing and stopping', () => {
  // Not concurrent with the tests above: it counts requests to the shared market feed.
  it('a selection\'s snapshot is rebuilt only when one of its own feeds changes; selections share untagged copies', async (ctx) => {
    feeds.set('/sym/BBB.xml', rssFeed('BBB', [{ id: 'b1', title: 'BBB raises its full-year outlook', link: 'https://b.example/1', published: at(5) }]));
    feeds.set('/sym/CCC.xml', rssFeed('CCC', []));
    feeds.set('/sym/DDD.xml', rssFeed('DDD', []));
    feeds.set(MARKET, rssFeed('Market', [{ id: 'm9', title: 'Oil prices slip as supply worries ease', link: 'https://m.example/m9', published: at(6) }]));
    const { subscribe } = hubFor(ctx);
    // A long interval: nothing is fetched again during the test unless a new feed joins.
    const bbb = subscribe('BBB', 60_000);
    const ccc = subscribe('CCC', 60_000);
    await Promise.all([bbb.ready(never(), 3000), ccc.ready(never(), 3000)]);
    const first = bbb.snapshot();
    const marketCopy = (snapshot: typeof first) => snapshot.articles.find((a) => a.article.id === 'm9');
    expect(marketCopy(first)?.article.symbols).toEqual([]);
    expect(marketCopy(ccc.snapshot())).toBe(marketCopy(first));
    expect(first.newestSeq).toBe(Math.max(...first.articles.map((a) => a.seq)));
    // Another symbol's first fetch changes the deployment, not BBB's feeds.
    const ddd = subscribe('DDD', 60_000);
    await ddd.ready(never(), 3000);
    expect(ddd.snapshot().complete).toBe(true);
    expect(bbb.snapshot()).toBe(first);
  });

  it('50 subscriptions to one symbol (and one more symbol) cost one fetch per feed per period; closing all stops polling', async (ctx) => {
    feeds.set('/sym/SHR.xml', rssFeed('SHR', [{ id: '1', title: 'SHR headline one for the test', link: 'https://s.example/1', published: at(1) }]));
    feeds.set('/sym/OTH.xml', rssFeed('OTH', []));
    feeds.set(MARKET, rssFeed('Market', []));
    const { hub } = hubFor(ctx);
    const before = { sym: feeds.count('/sym/SHR.xml'), market: feeds.count(MARKET) };
    const subs = Array.from({ length: 50 }, () => hub.subscribe(['SHR'], 1000));
    subs.push(hub.subscribe(['OTH'], 1000));
    await Promise.all(subs.map((s) => s.ready(never(), 3000)));
    await sleep(2300); // fetches at ~0, ~1000, ~2000 ms
    const sym = feeds.count('/sym/SHR.xml') - before.sym;
    const market = feeds.count(MARKET) - before.market;
    expect(sym).toBeGreaterThanOrEqual(2);
    expect(sym).toBeLessThanOrEqual(4);
    expect(market).toBeLessThanOrEqual(4); // shared by both symbols' 51 subscriptions
    expect(hub.feedHealth().map((h) => h.subscribers).sort((a, b) => a - b)).toEqual([1, 50, 51]);

    for (const s of subs) s.close();
    subs[0]!.close(); // closing twice is harmless
    const stopped = { sym: feeds.count('/sym/SHR.xml'), market: feeds.count(MARKET) };
    await sleep(1500);
    expect(feeds.count('/sym/SHR.xml')).toBe(stopped.sym);
    expect(feeds.count(MARKET)).toBe(stopped.market);
    expect(hub.feedHealth().every((h) => h.subscribers === 0)).toBe(true);
  });
});

describe('NewsHub: forgetting idle feeds', () => {
  it('a symbol nobody watched for 15 minutes loses its pollers at a later open; a watched one keeps them', async (ctx) => {
    feeds.set('/sym/IDL.xml', rssFeed('IDL', []));
    feeds.set('/sym/KPT.xml', rssFeed('KPT', []));
    feeds.set('/sym/NEW.xml', rssFeed('NEW', []));
    feeds.set(MARKET, rssFeed('Market', []));
    // Only the clock moves: the feed server and the pollers' timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    ctx.onTestFinished(() => {
      vi.useRealTimers();
    });
    const start = Date.now();
    const { hub, subscribe } = hubFor(ctx);
    const urls = () => hub.feedHealth().map((h) => h.feed);
    const idle = subscribe('IDL', 60_000);
    const kept = subscribe('KPT', 60_000);
    await Promise.all([idle.ready(never(), 3000), kept.ready(never(), 3000)]);
    idle.close();
    expect(urls().filter((u) => u.includes('/sym/'))).toHaveLength(2);

    vi.setSystemTime(start + 16 * 60_000);
    subscribe('NEW', 60_000);
    const held = urls().filter((u) => u.includes('/sym/'));
    expect(held.some((u) => u.includes('IDL'))).toBe(false);
    expect(held.some((u) => u.includes('KPT'))).toBe(true);
    expect(held.some((u) => u.includes('NEW'))).toBe(true);
  });
});

describe('NEWS_FEEDS parsing', () => {
  it('splits on commas and whitespace; {symbol} URLs are per-symbol, others market-wide', () => {
    const { config, invalid } = parseFeedConfig(' https://a.example/{symbol}.rss,https://b.example/m.rss \n ftp://c.example/x not-a-url ');
    expect(invalid).toEqual(['ftp://c.example/x', 'not-a-url']);
    const specs = feedsForSymbol('BRK.B', config);
    expect(specs.map((s) => [s.url, s.scope])).toEqual([
      ['https://a.example/BRK.B.rss', 'symbol'],
      ['https://b.example/m.rss', 'market'],
    ]);
  });

  it('"demo" selects the offline source, labelled as demo', () => {
    const { config } = parseFeedConfig(' DEMO ');
    expect(config).toEqual({ mode: 'demo' });
    const specs = feedsForSymbol('TSLA', config);
    expect(specs.every((s) => s.url.startsWith('demo:') && /demo/i.test(s.source))).toBe(true);
  });

  it('unset means the built-in real feeds; SEC EDGAR only for plain equities', () => {
    const { config } = parseFeedConfig(undefined);
    const equity = feedsForSymbol('TSLA', config);
    expect(equity.some((s) => s.source === 'SEC EDGAR')).toBe(true);
    expect(equity.every((s) => s.url.startsWith('https://'))).toBe(true);
    expect(feedsForSymbol('BTC-USD', config).some((s) => s.source === 'SEC EDGAR')).toBe(false);
    expect(feedsForSymbol('^GSPC', config).find((s) => s.scope === 'symbol')!.url).toContain('s=%5EGSPC');
  });
});
