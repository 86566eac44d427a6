import { describe, expect, it } from 'vitest';
import { combineLists, MAX_LISTED, mergeArticles, toListed, validArticles } from '@/lib/dashboard/articles';
import type { Article } from '@/lib/news/types';

const article = (id: string, publishedAt?: string, extra: Partial<Article> = {}): Article => ({
  id,
  title: id,
  url: `https://x.example/${id}`,
  source: 'Wire',
  ...(publishedAt ? { publishedAt } : {}),
  scope: 'symbol',
  summary: '',
  ...extra,
});
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

describe('mergeArticles', () => {
  it('orders newest first, using firstSeenAt where publishedAt is missing', () => {
    const { list } = mergeArticles([], [article('old', at(1)), article('undated', undefined, { firstSeenAt: at(30) }), article('mid', at(10))]);
    expect(list.map((a) => a.id)).toEqual(['undated', 'mid', 'old']);
  });

  it('reports only what was added and flags arrivals', () => {
    const first = mergeArticles([], [article('a', at(1))], 1000);
    const second = mergeArticles(first.list, [article('a', at(1)), article('b', at(2))], 2000);
    expect(second.added.map((a) => a.id)).toEqual(['b']);
    expect(second.list.map((a) => [a.id, a.arrivedAt])).toEqual([
      ['b', 2000],
      ['a', 1000],
    ]);
    // Nothing new: the same list object, so React skips the re-render.
    expect(mergeArticles(second.list, [article('b', at(2))]).list).toBe(second.list);
  });

  it('treats the same URL from another feed as a duplicate, and duplicates within one batch too', () => {
    const { list } = mergeArticles([], [article('a', at(1)), article('a2', at(2), { url: 'https://x.example/a' }), article('a', at(1))]);
    expect(list.map((a) => a.id)).toEqual(['a']);
  });

  it('keeps at most MAX_LISTED, dropping the oldest, and handles 1,000 at a time quickly', () => {
    const many = Array.from({ length: MAX_LISTED + 200 }, (_, i) => article(`n${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()));
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

describe('combineLists', () => {
  it('unions two lists newest first, the first winning on duplicates and reusing objects', () => {
    const snapshot = toListed([article('a', at(1)), article('b', at(5))]);
    const stream = mergeArticles([], [article('b', at(5)), article('c', at(9))], 123).list;
    const combined = combineLists(snapshot, stream);
    expect(combined.map((a) => a.id)).toEqual(['c', 'b', 'a']);
    expect(combined.find((a) => a.id === 'b')).toBe(snapshot.find((a) => a.id === 'b'));
    expect(combined.filter((a) => a.arrivedAt !== undefined).map((a) => a.id)).toEqual(['c']);
    expect(combineLists(snapshot, [])).toBe(snapshot);
  });
});

describe('validArticles', () => {
  it('accepts only contract-shaped articles with http(s) links', () => {
    const items = [article('ok', at(1)), { ...article('js'), url: 'javascript:alert(1)' }, { ...article('data'), url: 'data:text/html,x' }, 'nonsense', null];
    expect(validArticles(items).map((a) => a.id)).toEqual(['ok']);
    expect(validArticles('not a list')).toEqual([]);
  });
});
