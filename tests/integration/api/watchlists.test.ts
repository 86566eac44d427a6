import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { atomFeed, rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { isFinal, openSse, progressBody } from '@/tests/support/sse-client';
import { activeStreams, call, lastMessage, mcpCall, waitUntil } from '@/tests/integration/guard/support';

/**
 * Watchlists and filters (contract §6.3, §6.4) against `next start` with fixture feeds: one stream
 * for several symbols, articles tagged with the symbols they concern, `q` and `forms` on every
 * answer, the MCP tools included, and bad input refused by name.
 */

let feeds: FeedServer;
let app: AppServer;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
const item = (id: string, title: string, minutesAgo: number, summary = ''): FeedItem => ({ id, title, link: `https://news.example/${id}`, published: at(minutesAgo), summary });

interface Article {
  id: string;
  symbols: string[];
  scope: string;
  form?: string;
}

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set('/sym/WLA.xml', rssFeed('WLA', [item('wla-1', 'WLA beats earnings estimates', 5), item('wla-2', 'WLA opens a new plant', 50)]));
  feeds.set('/sym/WLB.xml', rssFeed('WLB', [item('wlb-1', 'WLB price target raised by analysts', 6)]));
  feeds.set('/sym/WLC.xml', rssFeed('WLC', [item('wlc-1', 'WLC recalls crypto mining rigs', 7)]));
  feeds.set('/market.xml', rssFeed('Market', [
    item('mkt-1', 'Chip stocks rally as $WLA and WLB lead', 8),
    item('mkt-2', 'WLAX fund sees outflows', 9),
    item('mkt-3', 'Stocks open higher on earnings hopes', 10),
  ]));
  feeds.setFallback((path) => (path.startsWith('/sec/') ? { kind: 'feed', contentType: 'application/atom+xml', body: secFilings(path.slice(5, -5)) } : undefined));
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml ${feeds.url}/sec/{symbol}.atom ${feeds.url}/market.xml`,
    NEWS_MIN_POLL_MS: '1000',
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '1',
  });
});
afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

function secFilings(symbol: string): string {
  return atomFeed(`${symbol} filings`, [item(`urn:${symbol}:1`, '8-K - Current report', 3), item(`urn:${symbol}:2`, '10-Q - Quarterly report', 4)]).replace(
    /<entry>\n(\s+)<title>(\d+-[A-Z])/g,
    (_m, space: string, form: string) => `<entry>\n${space}<category label="form type" scheme="https://www.sec.gov/" term="${form}"/>\n${space}<title>${form}`,
  );
}

/**
 * Every news event of a whole stream: the first one may come before every feed has answered
 * (first news as soon as one feed does), so the articles are those of all news events.
 */
const streamNews = async (url: string) => {
  const stream = await openSse(url);
  expect(stream.status).toBe(200);
  await stream.waitFor((events) => events.some(isFinal), 15_000);
  stream.close();
  const bodies = stream.events.map(progressBody).filter(Boolean) as Array<Record<string, unknown>>;
  const newsEvents = bodies.filter((b) => 'news' in b) as Array<{ symbols?: string[]; symbol?: string; news: { count: number; articles: Article[] } }>;
  expect(newsEvents.length).toBeGreaterThan(0);
  return { connected: bodies[0]!, news: newsEvents[0]!, newsEvents, articles: newsEvents.flatMap((e) => e.news.articles) };
};
const byId = (articles: Article[]) => Object.fromEntries(articles.map((a) => [a.id, a.symbols]));

describe('one stream for a watchlist', () => {
  it('delivers the articles of all three symbols, each tagged with the symbols it concerns; market items by whole-word mentions only', async () => {
    const { connected, news, articles } = await streamNews(`${app.url}/api/mcp/stream-news?symbols=wla,WLB,WLC&interval=1000&duration=3000&limit=50`);
    expect(connected).toMatchObject({ status: 'connected', symbols: ['WLA', 'WLB', 'WLC'] });
    expect(connected).not.toHaveProperty('symbol');
    expect(news.symbols).toEqual(['WLA', 'WLB', 'WLC']);
    expect(articles.map((a) => a.id)).toHaveLength(new Set(articles.map((a) => a.id)).size);
    expect(byId(articles)).toEqual({
      ...Object.fromEntries(['WLA', 'WLB', 'WLC'].flatMap((s) => [[`urn:${s}:1`, [s]], [`urn:${s}:2`, [s]]])),
      'wla-1': ['WLA'],
      'wla-2': ['WLA'],
      'wlb-1': ['WLB'],
      'wlc-1': ['WLC'],
      'mkt-1': ['WLA', 'WLB'],
      'mkt-2': [], // WLAX is not WLA
      'mkt-3': [],
    });
  });

  it('a single-symbol stream keeps its shape (symbol, not symbols) and tags articles too', async () => {
    const { connected, news, articles } = await streamNews(`${app.url}/api/mcp/stream-news?symbol=WLA&interval=1000&duration=2000&limit=50`);
    expect(connected).toHaveProperty('symbol', 'WLA');
    expect(news.symbol).toBe('WLA');
    expect(byId(articles)['wla-1']).toEqual(['WLA']);
    expect(byId(articles)['mkt-1']).toEqual(['WLA']);
  });

  it('is one stream for the concurrency cap', async () => {
    await waitUntil(async () => (await activeStreams(app.url)) === 0, 5_000, 'earlier streams released');
    const held = await openSse(`${app.url}/api/mcp/stream-news?symbols=WLA,WLB,WLC&interval=1000&duration=10000`);
    try {
      expect(held.status).toBe(200);
      expect((await call(`${app.url}/api/mcp/stream-news?symbol=WLA&duration=1000`)).status).toBe(429);
    } finally {
      held.close();
    }
  });
});

describe('filters', () => {
  const articles = async (query: string) =>
    ((await (await fetch(`${app.url}/api/news?symbols=WLA,WLB,WLC&limit=50&${query}`)).json()) as { articles: Article[] }).articles;
  /** The news (SEC filings aside) that passed. */
  const ids = async (query: string) => (await articles(query)).map((a) => a.id).filter((id) => !id.startsWith('urn:')).sort();

  it.each([
    ['a term, whole words only, any case', 'q=EARNINGS', ['mkt-3', 'wla-1']],
    ['a phrase', `q=${encodeURIComponent('"price target"')}`, ['wlb-1']],
    ['words that must not be split into a phrase', `q=${encodeURIComponent('"target price"')}`, []],
    ['an exclusion alone passes everything without it', `q=${encodeURIComponent('-crypto -earnings')}`, ['mkt-1', 'mkt-2', 'wla-2', 'wlb-1']],
    ['terms and an exclusion', `q=${encodeURIComponent('rally earnings -hopes')}`, ['mkt-1', 'wla-1']],
  ])('%s', async (_what, query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  it('forms selects SEC filings by form type and leaves other news alone', async () => {
    const all = await articles('forms=8-k');
    expect(all.filter((a) => a.form).map((a) => [a.id, a.form])).toEqual(expect.arrayContaining([['urn:WLA:1', '8-K'], ['urn:WLB:1', '8-K'], ['urn:WLC:1', '8-K']]));
    expect(all.some((a) => a.form === '10-Q')).toBe(false);
    expect(all.filter((a) => !a.form)).toHaveLength(7);
    const tenQ = await articles('forms=10-Q&q=quarterly');
    expect(tenQ.map((a) => a.id).sort()).toEqual(['urn:WLA:2', 'urn:WLB:2', 'urn:WLC:2']);
  });

  it('on the stream, `count` counts what passed', async () => {
    const { newsEvents, articles } = await streamNews(`${app.url}/api/mcp/stream-news?symbols=WLA,WLB&q=earnings&interval=1000&duration=2000&limit=50`);
    expect(articles.map((a) => a.id).sort()).toEqual(['mkt-3', 'wla-1']);
    for (const event of newsEvents) expect(event.news.count).toBe(event.news.articles.length);
  });
});

describe('bad input', () => {
  it.each([
    ['symbols=', 'symbols', /^symbols must list 1 to 25/],
    ['symbols=WLA,wla', 'symbols', /^symbols lists WLA twice/],
    [`symbols=${Array.from({ length: 26 }, (_, i) => `S${i}`).join(',')}`, 'symbols', /^symbols must list 1 to 25/],
    ['symbols=WLA,not%20valid', 'symbols', /^symbols entry "NOT VALID"/],
    ['symbol=WLA&symbols=WLB', 'symbols', /^symbols cannot be combined with symbol/],
    ['q=', 'q', /^q must be 1 to 200 characters/],
    [`q=${'x'.repeat(201)}`, 'q', /^q must be 1 to 200 characters/],
    ['q=%22unbalanced', 'q', /^q has an unbalanced double quote/],
    ['forms=8-K,10%20Q', 'forms', /^forms entry "10 Q"/],
    ['forms=8-K,%3Cscript%3E', 'forms', /^forms entry/],
  ])('%s is a 400 naming %s and the rule, on the stream and the snapshot', async (query, field, message) => {
    for (const path of ['/api/mcp/stream-news', '/api/news']) {
      const res = await call(`${app.url}${path}?${query}`);
      expect(res.status, `${path}?${query}`).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe(-32602);
      expect(body.error.message).toMatch(message);
      expect(Object.keys(body.error.data!.fields as object)).toContain(field);
    }
  });
});

describe('MCP tools', () => {
  const callTool = async (name: string, args: Record<string, unknown>, progressToken?: string) => {
    const reply = await mcpCall(app.url, {}, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, ...(progressToken ? { _meta: { progressToken } } : {}) } });
    const messages = reply.text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => JSON.parse(l.slice(5)) as { method?: string; params?: { _meta?: { articles?: Article[] } } });
    return { result: lastMessage(reply).result as { isError?: boolean; structuredContent?: Record<string, unknown>; content: Array<{ text: string }> }, messages };
  };

  it('get_market_news takes symbols, query and forms', async () => {
    const { result } = await callTool('get_market_news', { symbols: ['WLA', 'WLB'], query: 'earnings', limit: 50 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ symbols: ['WLA', 'WLB'] });
    expect((result.structuredContent!.articles as Article[]).map((a) => a.id).sort()).toEqual(['mkt-3', 'wla-1']);
  });

  it('stream_market_news sends progress that carries only what passed', async () => {
    const { result, messages } = await callTool('stream_market_news', { symbols: ['WLA', 'WLC'], query: '-crypto', duration: 1500, interval: 1000, limit: 50 }, 'tok-1');
    expect(result.isError).toBeFalsy();
    const progressed = messages.flatMap((m) => m.params?._meta?.articles ?? []).map((a) => a.id);
    expect(progressed.length).toBeGreaterThan(0);
    expect(progressed).not.toContain('wlc-1');
    expect((result.structuredContent!.articles as Article[]).every((a) => a.id !== 'wlc-1')).toBe(true);
  });

  it.each([
    [{ symbols: ['WLA', 'WLA'] }, /symbols: lists WLA twice/],
    [{ symbol: 'WLA', symbols: ['WLB'] }, /give either symbol/],
    [{}, /give either symbol/],
    [{ symbol: 'WLA', query: '"open' }, /query: has an unbalanced double quote/],
    [{ symbol: 'WLA', forms: ['8 K'] }, /forms: entry "8 K"/],
  ])('refuses %j as a tool error naming the field', async (args, message) => {
    const { result } = await callTool('get_market_news', args);
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(message);
  });
});

