import { describe, expect, it } from 'vitest';
import { MAX_LISTED, mergeArticles, validArticles } from '@/lib/dashboard/articles';
import { received as article, wireArticle } from './fixtures';

describe('mergeArticles', () => {
  it('orders newest first, using firstSeenAt where publishedAt is missing', () => {
    const undated = article('undated', 0, { publishedAt: undefined, firstSeenAt: new Date(Date.UTC(2026, 10, 25, 10, 30)).toISOString() });
    const { list } = mergeArticles([], [article('old', 1), undated, article('mid', 10)]);
    expect(list.map((a) => a.id)).toEqual(['undated', 'mid', 'old']);
  });

  it('reports only what was added and flags arrivals', () => {
    const first = mergeArticles([], [article('a', 1)], 1000);
    const second = mergeArticles(first.list, [article('a', 1), article('b', 2)], 2000);
    expect(second.added.map((a) => a.id)).toEqual(['b']);
    expect(second.list.map((a) => [a.id, a.arrivedAt])).toEqual([
      ['b', 2000],
      ['a', 1000],
    ]);
    // Nothing new: the same list object, so React skips the re-render.
    expect(mergeArticles(second.list, [article('b', 2)]).list).toBe(second.list);
  });

  it('treats the same URL from another feed as a duplicate, and duplicates within one batch too', () => {
    const { list } = mergeArticles([], [article('a', 1), article('a2', 2, { url: 'https://x.example/a' }), article('a', 1)]);
    expect(list.map((a) => a.id)).toEqual(['a']);
  });

  it('widens the tags of a resent article without flagging it new again', () => {
    const first = mergeArticles([], [article('m', 1, { scope: 'market', symbols: ['TSLA'] })], 1000);
    const again = mergeArticles(first.list, [article('m', 1, { scope: 'market', symbols: ['AAPL', 'TSLA'] })], 2000);
    expect(again.added).toEqual([]);
    expect(again.list[0]).toMatchObject({ id: 'm', symbols: ['TSLA', 'AAPL'], arrivedAt: 1000 });
    expect(again.list).not.toBe(first.list);
    // Narrower tags change nothing (the article stays listed under what it concerned).
    expect(mergeArticles(again.list, [article('m', 1, { symbols: [] })]).list).toBe(again.list);
  });

  it('a provisional entry (a snapshot read while live) arrives when the stream brings it; any other resent one does not', () => {
    const snapshot = mergeArticles([], [article('p', 2), article('old', 1)], undefined, true);
    expect(snapshot.list.map((a) => [a.id, a.provisional, a.arrivedAt])).toEqual([
      ['p', true, undefined],
      ['old', true, undefined],
    ]);
    const stream = mergeArticles(snapshot.list, [article('p', 2), article('q', 3)], 5000);
    expect(stream.added.map((a) => a.id)).toEqual(['p', 'q']);
    expect(stream.list.map((a) => [a.id, a.provisional, a.arrivedAt])).toEqual([
      ['q', undefined, 5000],
      ['p', undefined, 5000],
      ['old', true, undefined],
    ]);
    // Once arrived, it is an ordinary listed article: a resend is no arrival.
    expect(mergeArticles(stream.list, [article('p', 2)], 6000).added).toEqual([]);
    // A snapshot outside a session lists for good.
    expect(mergeArticles([], [article('s', 1)]).list[0]).not.toHaveProperty('provisional');
  });

  it('keeps at most MAX_LISTED, dropping the oldest, and handles 1,000 at a time quickly', () => {
    const many = Array.from({ length: MAX_LISTED + 200 }, (_, i) => article(`n${i}`, 0, { publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() }));
    const started = performance.now();
    let list = mergeArticles([], many.slice(0, 1000)).list;
    list = mergeArticles(list, many.slice(1000)).list;
    for (let i = 0; i < 20; i += 1) list = mergeArticles(list, many.slice(500, 700)).list; // resent: no-ops
    const elapsed = performance.now() - started;
    expect(list).toHaveLength(MAX_LISTED);
    expect(list[0]?.id).toBe(`n${MAX_LISTED + 199}`);
    expect(list.at(-1)?.id).toBe('n200');
    // Generous bound for a shared 2-core machine; the real cost is a few milliseconds.
    expect(elapsed).toBeLessThan(1_000);
  });
});

describe('validArticles', () => {
  it('accepts only contract-shaped articles with http(s) links', () => {
    const items = [wireArticle('ok'), wireArticle('js', { url: 'javascript:alert(1)' }), wireArticle('data', { url: 'data:text/html,x' }), 'nonsense', null];
    expect(validArticles(items).map((a) => a.id)).toEqual(['ok']);
    expect(validArticles('not a list')).toEqual([]);
  });

  it('keeps the watchlist fields, symbols and the SEC form, and refuses an article without its symbols', () => {
    const [a] = validArticles([wireArticle('f', { symbols: ['TSLA', 'AAPL'], form: '8-K' })]);
    expect(a).toMatchObject({ symbols: ['TSLA', 'AAPL'], form: '8-K' });
    expect(validArticles([wireArticle('bad', { symbols: 'TSLA' })])).toEqual([]);
    expect(validArticles([wireArticle('untagged', { symbols: undefined })])).toEqual([]);
  });
});
