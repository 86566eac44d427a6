import { describe, expect, it } from 'vitest';
import { articleCount, headlineList, shortTime, warningLine } from '@/lib/mcp/result-text';
import type { Article } from '@/lib/contract/article';

const article = (n: number, extra: Partial<Article> = {}): Article => ({
  id: `a${n}`,
  title: `Headline ${n}`,
  url: `https://news.example.com/${n}`,
  source: 'Wire',
  publishedAt: '2026-03-02T14:05:00Z',
  scope: 'symbol',
  summary: '',
  symbols: ['TSLA'],
  ...extra,
});

describe('result text for models', () => {
  it('gives short UTC times, with the date when not today', () => {
    const now = Date.parse('2026-03-02T20:00:00Z');
    expect(shortTime('2026-03-02T14:05:09Z', now)).toBe('14:05 UTC');
    expect(shortTime('2026-02-27T09:30:00Z', now)).toBe('Feb 27 09:30 UTC');
    expect(shortTime(undefined, now)).toBe('time unknown');
    expect(shortTime('garbage', now)).toBe('time unknown');
  });

  it('lists one headline per line with source, time and link, marking first-seen times', () => {
    const text = headlineList([article(1), article(2, { publishedAt: undefined, firstSeenAt: '2026-03-02T14:06:00Z' })]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^- Headline 1 — Wire, .*14:05 UTC https:\/\/news\.example\.com\/1$/);
    expect(lines[1]).toMatch(/first seen .*14:06 UTC/);
  });

  it('caps the list and says how many more are in structuredContent', () => {
    const text = headlineList(Array.from({ length: 25 }, (_, i) => article(i)));
    expect(text.split('\n')).toHaveLength(21);
    expect(text).toMatch(/and 5 more \(see structuredContent\)$/);
  });

  it('counts and warns in plain words', () => {
    expect(articleCount(0, 'TSLA', 'new ')).toBe('No new TSLA articles');
    expect(articleCount(1, 'TSLA', 'new ')).toBe('1 new TSLA article');
    expect(warningLine([])).toBeUndefined();
    expect(warningLine([{ source: 'CNBC', error: 'timeout' }])).toBe('Feeds unavailable: CNBC (timeout).');
  });
});
