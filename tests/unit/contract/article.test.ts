import { describe, expect, it } from 'vitest';
import { articleSchema, articleWithSymbols, type Article } from '@/lib/contract/article';

const everyField = {
  id: 'a', title: 'T', url: 'https://x.example/a', source: 'S', scope: 'symbol', summary: 'sum', form: '8-K',
} satisfies Omit<Article, 'symbols' | 'publishedAt' | 'firstSeenAt'>;

describe('articleWithSymbols', () => {
  it('carries every field of the schema: a field added there and forgotten here fails this test', () => {
    const dated = articleWithSymbols({ ...everyField, publishedAt: '2025-11-25T10:00:00.000Z' }, ['TSLA'], 5000);
    const undated = articleWithSymbols(everyField, ['TSLA'], 5000);
    const keys = Object.keys(articleSchema.shape).sort();
    expect(Object.keys(dated).sort()).toEqual(keys.filter((k) => k !== 'firstSeenAt'));
    expect(Object.keys(undated).sort()).toEqual(keys.filter((k) => k !== 'publishedAt'));
    expect(articleSchema.parse(dated)).toEqual(dated);
    expect(undated.firstSeenAt).toBe(new Date(5000).toISOString());
  });

  it('leaves absent what the feed did not give: no undefined fields, no form outside SEC filings', () => {
    const article = articleWithSymbols({ ...everyField, form: undefined, publishedAt: '2025-11-25T10:00:00.000Z' }, [], 0);
    expect(Object.keys(article)).toEqual(['id', 'title', 'url', 'source', 'publishedAt', 'scope', 'summary', 'symbols']);
  });
});
