import { describe, expect, it } from 'vitest';
import { demoArticles } from '@/lib/news/demo-source';
import { parseFeedConfig, feedsForSymbol } from '@/lib/news/feeds';

const now = Date.UTC(2026, 10, 25, 14, 0, 1);

describe('demo source (NEWS_FEEDS=demo)', () => {
  it('is clearly labelled as demo in every field a user sees', () => {
    for (const article of [...demoArticles('demo:TSLA', now), ...demoArticles('demo:market', now)]) {
      expect(article.title.startsWith('[Demo] ')).toBe(true);
      expect(article.source).toMatch(/demo/i);
      expect(article.summary).toMatch(/demo/i);
      expect(article.summary).toMatch(/not real news/i);
      expect(new URL(article.url).hostname).toBe('example.com'); // reserved: never a real site
      expect(article.id.startsWith('demo:')).toBe(true);
      expect(article.summary.length).toBeLessThanOrEqual(300);
    }
  });

  it('per-symbol items mention the symbol and are symbol-scoped; market items are market-scoped', () => {
    const symbol = demoArticles('demo:NVDA', now);
    expect(symbol.every((a) => a.scope === 'symbol' && a.title.includes('NVDA'))).toBe(true);
    const market = demoArticles('demo:market', now);
    expect(market.every((a) => a.scope === 'market')).toBe(true);
  });

  it('is deterministic: the same time gives the same articles (every instance agrees)', () => {
    expect(demoArticles('demo:TSLA', now)).toEqual(demoArticles('demo:TSLA', now));
    expect(demoArticles('demo:TSLA', now)).toEqual(demoArticles('demo:TSLA', now + 1));
  });

  it('new articles appear over time; earlier ones keep their id and date', () => {
    const before = demoArticles('demo:TSLA', now);
    const later = demoArticles('demo:TSLA', now + 8_000);
    const beforeIds = new Set(before.map((a) => a.id));
    const fresh = later.filter((a) => !beforeIds.has(a.id));
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    expect(fresh.length).toBeLessThanOrEqual(3);
    for (const a of later.filter((x) => beforeIds.has(x.id))) expect(before.find((b) => b.id === a.id)).toEqual(a);
    const marketLater = demoArticles('demo:market', now + 20_000);
    expect(marketLater[0]!.id).not.toBe(demoArticles('demo:market', now)[0]!.id);
  });

  it('newest first, unique ids, never dated in the future', () => {
    const articles = demoArticles('demo:BRK.B', now);
    const times = articles.map((a) => Date.parse(a.publishedAt!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
    expect(Math.max(...times)).toBeLessThanOrEqual(now);
  });

  it('symbols with URL-special characters give valid links', () => {
    for (const article of demoArticles('demo:^GSPC', now)) expect(() => new URL(article.url)).not.toThrow();
    expect(demoArticles('demo:^GSPC', now)[0]!.url).toContain('%5Egspc');
  });

  it('demo feeds are what NEWS_FEEDS=demo selects', () => {
    const specs = feedsForSymbol('TSLA', parseFeedConfig('demo').config);
    expect(specs.map((s) => s.url)).toEqual(['demo:TSLA', 'demo:market']);
  });
});
