import { describe, expect, it } from 'vitest';
import { ArticleRegistry, storyKeys } from '@/lib/news/hub/article-registry';
import type { FeedArticle as Article } from '@/lib/news/types';

const article = (id: string, extra: Partial<Article> = {}): Article => ({
  id, title: `Headline ${id} long enough to be a story`, url: `https://news.example/${id}`, source: 'Test', scope: 'market', summary: '', ...extra,
});

const feed = (key: string, tags: string[] = []) => ({ key, tags });

describe('ArticleRegistry', () => {
  it('numbers each (feed, id) once, increasing; the cursor is the highest number handed out', () => {
    const registry = new ArticleRegistry();
    const a = registry.sequence(feed('feed-1'), article('a', { publishedAt: '2025-11-25T10:00:00.000Z' }), 1000);
    const b = registry.sequence(feed('feed-1'), article('b'), 2000);
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(registry.sequence(feed('feed-1'), article('a', { publishedAt: '2025-11-25T10:00:00.000Z' }), 9000).seq).toBe(a.seq);
    expect(registry.cursor).toBe(b.seq);
    // The same id in another feed with another link is another item, with its own number…
    expect(registry.sequence(feed('feed-2'), article('a', { url: 'https://other.example/a' }), 3000).seq).toBeGreaterThan(b.seq);
    // …while the same link in another feed is the same story, under the number it was first seen with.
    expect(registry.sequence(feed('feed-3'), article('x', { url: 'https://news.example/b' }), 4000).seq).toBe(b.seq);
  });

  it('an article is `arrived` only when first seen in a later view of a feed already in view, for good', () => {
    const registry = new ArticleRegistry();
    expect(registry.sequence(feed('f'), article('initial'), 1000).arrived).toBe(false);
    const later = registry.sequence(feed('f'), article('later'), 2000, { inView: true });
    expect(later).toMatchObject({ arrived: true, firstSeen: 2000 });
    // Seen again, or first read by another feed's first view: the story arrived when it did.
    expect(registry.sequence(feed('f'), article('later'), 3000).arrived).toBe(true);
    expect(registry.sequence(feed('g'), article('other-id', { url: 'https://news.example/later' }), 3000).arrived).toBe(true);
    // A story a feed held when first read did not arrive then, whichever view sees it again.
    expect(registry.sequence(feed('f'), article('initial'), 4000, { inView: true }).arrived).toBe(false);
  });

  it('dated articles sort by publishedAt and gain no firstSeenAt; undated ones keep their first-seen time', () => {
    const registry = new ArticleRegistry();
    const dated = registry.sequence(feed('f'), article('d', { publishedAt: '2025-11-25T10:00:00.000Z' }), 5000);
    expect(dated.sortTime).toBe(Date.parse('2025-11-25T10:00:00.000Z'));
    expect(dated.article).not.toHaveProperty('firstSeenAt');
    const first = registry.sequence(feed('f'), article('u'), 5000);
    const again = registry.sequence(feed('f'), article('u'), 99_000);
    expect(first.article.firstSeenAt).toBe(new Date(5000).toISOString());
    expect(again.article.firstSeenAt).toBe(new Date(5000).toISOString());
    expect(again.sortTime).toBe(5000);
  });

  it("articles carry their feed's own tags, the feed's one array shared by all of them", () => {
    const registry = new ArticleRegistry();
    const tsla = feed('yahoo/TSLA', ['TSLA']);
    const a = registry.sequence(tsla, article('a', { scope: 'symbol' }), 1000);
    const b = registry.sequence(tsla, article('b', { scope: 'symbol', publishedAt: '2025-11-25T10:00:00.000Z', form: '8-K' }), 1000);
    expect(a.article.symbols).toEqual(['TSLA']);
    expect(b.article.symbols).toBe(a.article.symbols);
    expect(b.article).toEqual({ ...article('b', { scope: 'symbol', publishedAt: '2025-11-25T10:00:00.000Z', form: '8-K' }), symbols: ['TSLA'] });
    expect(registry.sequence(feed('cnbc'), article('c'), 1000).article.symbols).toEqual([]);
  });

  // An article that stays in a feed all day (a market feed's top story) must not be evicted while
  // other items pass through: a new number would send it to every running stream again.
  it('an article still present in its feed keeps its number however many others pass through', () => {
    const registry = new ArticleRegistry();
    const live = registry.sequence(feed('market'), article('live'), 1000);
    for (let i = 0; i < 50_000; i++) {
      registry.sequence(feed('market'), article('live'), 1000 + i); // still in the feed at every poll
      registry.sequence(feed(`symbol-${i % 1000}`), article(`other-${i}`), 1000 + i);
    }
    expect(registry.sequence(feed('market'), article('live'), 99_999).seq).toBe(live.seq);
  });
});

describe('storyKeys', () => {
  it('the canonical URL always; the normalised title only when long enough to identify a story', () => {
    expect(storyKeys(article('x', { url: 'https://A.example/X', title: 'Markets' }))).toEqual(['u:https://a.example/x']);
    expect(storyKeys(article('x', { url: 'https://a.example/x', title: 'Fed holds rates steady, signals patience!' }))).toEqual([
      'u:https://a.example/x',
      't:fed holds rates steady signals patience',
    ]);
  });
});
