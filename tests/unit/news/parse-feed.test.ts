import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '@/lib/news/fetch/charset';
import { parseFeed, type ParseContext, type ParseOutcome } from '@/lib/news/parse/parse-feed';
import type { FeedArticle as Article } from '@/lib/news/types';
import { sleep } from '@/tests/support/wait';

const ctx: ParseContext = { source: 'Test Feed', scope: 'symbol' };

function fixture(name: string, contentType?: string): string {
  return decodeFeedBytes(readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url)), contentType);
}

async function articlesOf(xml: string, context: ParseContext = ctx): Promise<Article[]> {
  const outcome = await parseFeed(xml, context);
  if (!outcome.ok) throw new Error(`expected the feed to parse, got: ${outcome.error}`);
  return outcome.articles;
}

async function failure(xml: string): Promise<string> {
  const outcome: ParseOutcome = await parseFeed(xml, ctx);
  expect(outcome.ok).toBe(false);
  return outcome.ok ? '' : outcome.error;
}

/** Every article must satisfy the contract's Article shape. */
function expectContractArticle(a: Article) {
  expect(a.id.trim()).not.toBe('');
  expect(a.title.trim()).toBe(a.title);
  expect(a.title).not.toMatch(/<[a-z/]|&(amp|lt|gt|quot|#\d+);/i);
  expect(a.url).toMatch(/^https?:\/\//);
  expect(a.url).not.toContain('#');
  expect(a.url).not.toMatch(/[?&](utm_[a-z]+|\.tsrc|ncid|guccounter|__source|taid)=/);
  expect(a.summary.length).toBeLessThanOrEqual(300);
  expect(a.summary).not.toMatch(/<\/?[a-z][^>]*>/i);
  expect(a.source).toBe(ctx.source);
  if (a.publishedAt !== undefined) expect(new Date(a.publishedAt).toISOString()).toBe(a.publishedAt);
}

describe('parseFeed: real feed formats', () => {
  it('Yahoo per-ticker RSS: dates from pubDate, guid ids, ?.tsrc=rss and other tracking dropped, double escaping undone', async () => {
    const articles = await articlesOf(fixture('yahoo-tsla.xml', 'application/rss+xml;charset=utf-8'));
    articles.forEach(expectContractArticle);
    expect(articles.map((a) => [a.id, a.url, a.publishedAt])).toEqual([
      ['3c9f1e0a-6b7d-3a55-9d2e-5f1a2b8c4d71', 'https://finance.yahoo.com/news/tesla-stock-robotaxi-expansion-133012345.html', '2025-11-25T13:30:12.000Z'],
      ['f2a7c811-09be-3e0d-8a41-77c2d9e6b013', 'https://finance.yahoo.com/m/f2a7c811-09be-3e0d-8a41-77c2d9e6b013/is-tesla-stock-a-buy.html', '2025-11-25T11:05:00.000Z'],
      ['0a1b2c3d-4e5f-3a6b-8c7d-9e0f1a2b3c4d', 'https://finance.yahoo.com/news/ev-makers-battery-costs-090000456.html', '2025-11-25T09:00:00.000Z'],
    ]);
    // `&amp;amp;` in the XML is an escaped `&amp;`: the reader sees "&".
    expect(articles[0]!.title).toBe('Tesla stock rises on robotaxi expansion & analyst upgrades');
    expect(articles[0]!.summary).toContain("Here's what analysts are saying.");
    expect(articles.every((a) => a.scope === 'symbol')).toBe(true);
  });

  it('CNBC RSS with the metadata: namespace: sponsored items dropped, HTML stripped, summary cut to 300', async () => {
    const articles = await articlesOf(fixture('cnbc-markets.xml'), { source: 'Test Feed', scope: 'market' });
    articles.forEach(expectContractArticle);
    expect(articles.map((a) => a.id)).toEqual(['108232012', '108231877', '108231590']);
    // metadata:sponsored=true and metadata:type=sponsored are both paid placements.
    const titles = articles.map((a) => a.title).join('\n');
    expect(titles).not.toContain('retirement mistakes');
    expect(titles).not.toContain('wealth outlook');
    expect(articles.every((a) => a.scope === 'market')).toBe(true);

    const [first, second, third] = articles as [Article, Article, Article];
    expect(first.url).toBe('https://www.cnbc.com/2025/11/25/stock-market-today-live-updates.html');
    expect(first.title).toBe('Stock futures rise as Nvidia & Tesla lead a tech rebound');
    expect(first.summary).toBe('Stock futures rose Tuesday as investors bought back into technology names after Monday\u2019s sell-off.');
    expect(first.publishedAt).toBe('2025-11-25T13:59:02.000Z');

    expect(second.summary.length).toBeLessThanOrEqual(300);
    expect(second.summary.length).toBeGreaterThan(200);
    expect(second.summary.endsWith('…')).toBe(true);
    expect(second.summary.startsWith('Tesla said its paid robotaxi service')).toBe(true);

    // Whitespace in titles collapsed; non-tracking query parameters kept.
    expect(third.title).toBe('Odds of a December Fed rate cut jump after Waller remarks');
    expect(third.url).toBe('https://www.cnbc.com/video/2025/11/25/fed-rate-cut-odds-december.html?par=xpromo');
    expect(third.summary).toBe('');
  });

  it('SEC EDGAR Atom in ISO-8859-1 (entries before feed-level links): ids, links, offset dates, accents intact', async () => {
    // SEC serves application/atom+xml without a charset: the XML declaration decides.
    const articles = await articlesOf(fixture('sec-edgar-tsla.atom', 'application/atom+xml'));
    articles.forEach(expectContractArticle);
    expect(articles.map((a) => a.id)).toEqual([
      'urn:tag:sec.gov,2008:accession-number=0001628280-25-045968',
      'urn:tag:sec.gov,2008:accession-number=0000950103-25-014321',
      'urn:tag:sec.gov,2008:accession-number=0001104659-25-112233',
    ]);
    expect(articles.map((a) => a.publishedAt)).toEqual(['2025-10-23T20:05:12.000Z', '2025-11-13T22:32:45.000Z', '2025-11-20T21:30:01.000Z']);
    expect(articles[0]!.url).toBe('https://www.sec.gov/Archives/edgar/data/1318605/000162828025045968/0001628280-25-045968-index.htm');
    // The entry link, not the feed's rel=self/alternate links that follow the entries.
    expect(articles[1]!.url).toBe('https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0001318605&accession_number=0000950103-25-014321');
    expect(articles[1]!.title).toContain('Société Générale');
    expect(articles[1]!.summary).toBe('Filed: 2025-11-13 Filer: Société Générale AccNo: 0000950103-25-014321 Size: 18 KB');
    expect(articles[0]!.title).toBe('10-Q - Quarterly report [Sections 13 or 15(d)]');
  });

  it('MarketWatch RSS: ?mod=mw_rss_* and other placement codes dropped, real parameters kept, host lower-cased', async () => {
    const articles = await articlesOf(fixture('marketwatch-topstories.xml'));
    articles.forEach(expectContractArticle);
    expect(articles.map((a) => a.url)).toEqual([
      'https://www.marketwatch.com/story/dow-jumps-300-points-as-treasury-yields-slip-before-thanksgiving-4f1c2a9b',
      'https://www.marketwatch.com/story/the-magnificent-seven-trade-isnt-dead-its-just-resting-7a8b9c0d?page=2',
      'https://www.marketwatch.com/story/black-friday-deals-retail-earnings-holiday-spending-11e2f3a4',
    ]);
    expect(articles[0]!.summary).toBe(
      'Stocks climbed Tuesday as the 10-year Treasury yield fell to 4.02%, its lowest since October. Traders now price a 78% chance of a December cut.',
    );
    expect(articles[1]!.title).toBe('Opinion: The \u2018Magnificent Seven\u2019 trade isn\u2019t dead \u2014 it\u2019s just resting');
  });

  it('is deterministic: ids and dates do not depend on when the feed is parsed', async () => {
    const xml = fixture('yahoo-tsla.xml');
    const first = await articlesOf(xml);
    await sleep(5);
    expect(await articlesOf(xml)).toEqual(first);
  });

  // Node 20's TextDecoder('windows-1252') (and 'iso-8859-1', which WHATWG maps to it) turns bytes
  // 0x80-0x9F into C1 controls (nodejs/node#56542); decodeFeedBytes must map them to the real characters.
  it('windows-1252 declared only in the XML declaration decodes curly quotes, dashes and the euro sign', async () => {
    const articles = await articlesOf(fixture('windows-1252-declared.xml', 'text/xml'));
    expect(articles).toHaveLength(1);
    expect(articles[0]!.title).toBe('L\u2019euro gagne 2 % face au dollar \u2013 \u20ac1.08');
  });

  it('windows-1252 declared only in the XML declaration: the declaration is honoured (accents, date)', async () => {
    const articles = await articlesOf(fixture('windows-1252-declared.xml', 'text/xml'));
    expect(articles).toHaveLength(1);
    expect(articles[0]!.summary).toBe('Le marché des changes réagit à la BCE.');
    expect(articles[0]!.publishedAt).toBe('2025-11-25T07:00:00.000Z');
    expect(articles[0]!.url).toBe('https://www.example.fr/article/euro-dollar.html?xtor=RSS-1');
  });

  it('ISO-8859-1 declared only in the XML declaration', async () => {
    const outcome = await parseFeed(fixture('iso-8859-1-declared.xml'), ctx);
    expect(outcome).toMatchObject({ ok: true, feedTitle: 'Café Bourse - Marchés' });
  });

  it('accepts a legacy RSS 0.91 feed with an external Netscape DOCTYPE (no internal subset)', async () => {
    const articles = await articlesOf(fixture('rss-091-netscape-doctype.xml'));
    expect(articles.map((a) => a.url)).toEqual(['https://legacy.example.com/story/1']);
    expect(articles[0]!.publishedAt).toBeUndefined();
  });
});

describe('parseFeed: dates are the feed\'s or absent, never invented', () => {
  it('RSS with no or meaningless dates: publishedAt omitted; unusable items dropped', async () => {
    const articles = await articlesOf(fixture('rss-no-dates.xml'));
    articles.forEach(expectContractArticle);
    expect(articles.map((a) => a.url)).toEqual([
      'https://ir.example.com/news/dividend-2025-q4',
      'https://ir.example.com/news/conference-2025', // permalink guid stands in for <link>
      'https://ir.example.com/news/app-v2',
    ]);
    for (const a of articles.slice(0, 2)) {
      expect(a).not.toHaveProperty('publishedAt');
      expect(a).not.toHaveProperty('firstSeenAt'); // the registry adds first-seen time, not the parser
    }
    expect(articles[0]!.id).toBe('https://ir.example.com/news/dividend-2025-q4'); // no guid: id is the canonical link
    expect(articles[0]!.summary).toBe('The board declared a dividend of $0.25 per share.');
  });

  // Regression: rss-parser's isoDate (new Date(pubDate)) launders "Version 2" into 2001-02-01 and
  // "0" into 2000-01-01; only the feed's own text may be judged as a date.
  it('a pubDate that is not a date ("Version 2", "0") gives no publishedAt', async () => {
    const articles = await articlesOf(fixture('rss-no-dates.xml'));
    expect(articles[2]!.url).toBe('https://ir.example.com/news/app-v2');
    expect(articles[2]).not.toHaveProperty('publishedAt');
    const xml = '<rss version="2.0"><channel><title>t</title><item><title>Zero dated</title><link>https://x.example/z</link><pubDate>0</pubDate></item></channel></rss>';
    expect((await articlesOf(xml))[0]).not.toHaveProperty('publishedAt');
  });

  it('Atom with garbage, impossible, future and epoch dates keeps every entry and never throws', async () => {
    const articles = await articlesOf(fixture('atom-bad-dates.atom'));
    const byId = Object.fromEntries(articles.map((a) => [a.id, a.publishedAt]));
    expect(Object.keys(byId)).toEqual([
      'urn:example:entry:1', 'urn:example:entry:2', 'urn:example:entry:3', 'urn:example:entry:4', 'urn:example:entry:5',
    ]);
    expect(byId['urn:example:entry:1']).toBeUndefined();
    expect(byId['urn:example:entry:2']).toBe('2025-11-20T21:30:01.000Z'); // falls back to a good <updated>
    expect(byId['urn:example:entry:3']).toBeUndefined(); // 2099: a placeholder, not a date
    expect(byId['urn:example:entry:4']).toBeUndefined(); // 1970: an unset timestamp
    expect(byId['urn:example:entry:5']).toBeUndefined();
  });

  it('an RSS pubDate of garbage leaves the item without publishedAt', async () => {
    const xml = '<rss version="2.0"><channel><title>t</title><item><title>Headline here</title><link>https://x.example/a</link><pubDate>Someday, 99 Foo 2025 99:99</pubDate></item></channel></rss>';
    const [article] = await articlesOf(xml);
    expect(article).toBeDefined();
    expect(article).not.toHaveProperty('publishedAt');
  });
});

describe('parseFeed: broken and hostile input is {ok:false}, never a throw', () => {
  it.each([
    ['empty', ''],
    ['whitespace', '  \n\t '],
    ['not XML', 'Service Unavailable'],
    ['JSON', '{"items":[]}'],
    ['binary (an undecoded gzip body)', '\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u00ab\u00ae\u0005\u0000'],
    ['XML that is not a feed', '<?xml version="1.0"?><note><to>x</to></note>'],
    ['unclosed root', '<rss version="2.0"><channel><title>x</title>'],
  ])('%s', async (_label, xml) => {
    expect(await failure(xml)).not.toBe('');
  });

  it('truncated XML (a connection cut mid-item)', async () => {
    expect(await failure(fixture('truncated.xml'))).toMatch(/not valid RSS or Atom/);
  });

  it('an HTML error page says so', async () => {
    expect(await failure(fixture('html-error-page.html'))).toMatch(/HTML page/);
  });

  it.each([
    '<html><body>Not found</body></html>',
    '\ufeff  <!-- cache miss -->\n<HTML lang="en"><head></head></HTML>',
    '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><body>503</body></html>',
  ])('HTML page variants are refused: %j', async (html) => {
    expect(await failure(html)).not.toBe('');
  });

  it('billion laughs is refused before any expansion', async () => {
    const started = performance.now();
    expect(await failure(fixture('entity-billion-laughs.xml'))).toMatch(/entit/i);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an external entity (XXE) is refused and never read', async () => {
    const error = await failure(fixture('entity-xxe.xml'));
    expect(error).toMatch(/entit/i);
    expect(error).not.toContain('root:');
  });

  it('a 3 MB feed of 5000 items parses (no cap at this layer) in reasonable time', async () => {
    const items = Array.from(
      { length: 5000 },
      (_, i) => `<item><title>Headline number ${i}</title><link>https://big.example/s/${i}?utm_source=rss</link><guid>big-${i}</guid><pubDate>Tue, 25 Nov 2025 09:00:00 GMT</pubDate><description>${'lorem ipsum dolor sit amet '.repeat(20)}</description></item>`,
    );
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${items.join('')}</channel></rss>`;
    expect(xml.length).toBeGreaterThan(3_000_000);
    const articles = await articlesOf(xml);
    expect(articles).toHaveLength(5000);
    expect(articles[4999]).toMatchObject({ id: 'big-4999', url: 'https://big.example/s/4999' });
    expect(articles.every((a) => a.summary.length <= 300)).toBe(true);
  }, 20_000);

  it('a summary comes from the description, content:encoded or Atom content, whichever the item has', async () => {
    const rss = (body: string) => `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><item><title>x</title><link>https://s.example/a</link>${body}</item></channel></rss>`;
    expect((await articlesOf(rss('<description>&lt;p&gt;From the description&lt;/p&gt;</description>')))[0]!.summary).toBe('From the description');
    expect((await articlesOf(rss('<content:encoded><![CDATA[<p>From <b>full</b> text</p>]]></content:encoded>')))[0]!.summary).toBe('From full text');
    const atom = '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title><link href="https://s.example/b"/><id>b</id><content type="html">&lt;p&gt;From Atom content&lt;/p&gt;</content></entry></feed>';
    expect((await articlesOf(atom))[0]!.summary).toBe('From Atom content');
  });

  it('Atom text of type xhtml is read as text: a content summary and a title', async () => {
    const entry = (title: string, content: string) =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title type="xhtml">${title}</title><link href="https://s.example/x"/><id>x</id><content type="xhtml">${content}</content></entry></feed>`;
    const [article] = await articlesOf(entry('<div xmlns="http://www.w3.org/1999/xhtml">Tesla <b>rallies</b></div>', '<div xmlns="http://www.w3.org/1999/xhtml"><p>Shares rose.</p><p>Volume was heavy.</p></div>'));
    expect(article!.title.split(' ').sort()).toEqual(['Tesla', 'rallies']);
    expect(article!.summary).toBe('Shares rose. Volume was heavy.');
    const deep = `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
    const [nested] = await articlesOf(entry('Nested', `<div xmlns="http://www.w3.org/1999/xhtml">${deep}</div>`));
    expect(nested!.summary).toBe('deep');
  });

  // rss-parser's own snippet of these elements is quadratic in their text (40,000 `<p` took 10 s);
  // the parser must never run it. With it, each case takes about 40 s and fails the timeout.
  it.each([
    ['description', (t: string) => `<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://s.example/a</link><description>${t}</description></item></channel></rss>`],
    ['content:encoded', (t: string) => `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><item><title>x</title><link>https://s.example/a</link><content:encoded>${t}</content:encoded></item></channel></rss>`],
    ['Atom content', (t: string) => `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title><link href="https://s.example/a"/><id>a</id><content type="html">${t}</content></entry></feed>`],
  ])('80,000 unclosed tags in the %s do not stall the parse', async (_, feed) => {
    const articles = await articlesOf(feed('&lt;p'.repeat(80_000)));
    expect(articles).toHaveLength(1);
    expect(articles[0]!.summary.length).toBeLessThanOrEqual(300);
  });

  it('a link with a parameter named constructor is an article like any other (it made the whole feed fail)', async () => {
    const item = '<item><title>Odd link</title><link>https://odd.example/a?constructor=1</link></item>';
    const articles = await articlesOf(`<rss version="2.0"><channel><title>t</title>${item}</channel></rss>`);
    expect(articles.map((a) => a.url)).toEqual(['https://odd.example/a?constructor=1']);
  });

  it('never rejects, whatever the text of an item (property)', async () => {
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, '');
    const field = fc.oneof(fc.string(), fc.constantFrom('https://a.example/x?constructor=1', '<p', '<!--', '<![CDATA[', '&#x110000;', 'Tue, 25 Nov 25 09:00:00 GMT'));
    await fc.assert(
      fc.asyncProperty(field, field, field, field, async (title, link, guid, description) => {
        const item = `<item><title>${escape(title)}</title><link>${escape(link)}</link><guid>${escape(guid)}</guid><description>${escape(description)}</description><pubDate>${escape(title)}</pubDate></item>`;
        const outcome = await parseFeed(`<rss version="2.0"><channel><title>t</title>${item}</channel></rss>`, ctx);
        expect(outcome.ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a feed does not choose how big an article is: titles cut at 300, long ids hashed, overlong links dropped', async () => {
    const words = 'Tesla body text in the title '.repeat(40_000);
    const longGuid = `tag:feed.example,2026:${'g'.repeat(5000)}`;
    const items = [
      `<item><title>${words}</title><link>https://big.example/a</link><guid>${longGuid}</guid></item>`,
      `<item><title>Same guid, polled again</title><link>https://big.example/b</link><guid>${longGuid}</guid></item>`,
      `<item><title>Link too long</title><link>https://big.example/${'p'.repeat(2100)}</link></item>`,
      `<item><title>Link just fits</title><link>https://big.example/${'p'.repeat(2000)}</link></item>`,
    ];
    const articles = await articlesOf(`<rss version="2.0"><channel><title>${'T'.repeat(10_000)}</title>${items.join('')}</channel></rss>`);
    // The second item repeats the first's guid, so it is the same article (one per guid in a feed).
    expect(articles.map((a) => a.url)).toEqual(['https://big.example/a', `https://big.example/${'p'.repeat(2000)}`]);
    const [cut, fits] = articles;
    expect(cut!.title.length).toBeLessThanOrEqual(300);
    expect(cut!.title).toMatch(/^Tesla body text in the title .*…$/);
    // One guid, one id: the second item with it is the same article, however long the guid.
    expect(cut!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await articlesOf(`<rss version="2.0"><channel><title>t</title>${items[1]}</channel></rss>`))[0]!.id).toBe(cut!.id);
    expect(fits!.id).toMatch(/^sha256:/);
    articles.forEach(expectContractArticle);
    const outcome = await parseFeed(`<rss version="2.0"><channel><title>${'T'.repeat(10_000)}</title>${items[3]}</channel></rss>`, ctx);
    expect(outcome.ok && outcome.feedTitle!.length).toBeLessThanOrEqual(300);
  });

  it('a duplicate guid within one feed yields one article', async () => {
    const item = '<item><title>Same story twice</title><link>https://dup.example/a</link><guid>same</guid></item>';
    const articles = await articlesOf(`<rss version="2.0"><channel><title>t</title>${item}${item}</channel></rss>`);
    expect(articles).toHaveLength(1);
  });

  it('parses many broken documents in a row without leaking state between them', async () => {
    for (let i = 0; i < 20; i++) await failure('<rss><channel><item><title>x</title></chan');
    expect(await articlesOf(fixture('yahoo-tsla.xml'))).toHaveLength(3);
  });
});
