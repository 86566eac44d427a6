import { describe, expect, it } from 'vitest';
import { demoArticles } from '@/lib/news/demo-source';

// The hub merges items with equal titles as one story; a demo title repeating within the window
// (or soon after) would make new demo items vanish from live streams.
describe('demo titles', () => {
  it.each(['demo:TSLA', 'demo:market'])('%s never repeats a title within an hour of items', (feed) => {
    const titles = new Set<string>();
    const period = feed === 'demo:market' ? 9_000 : 4_000;
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t < start + 3_600_000; t += period) {
      const latest = demoArticles(feed, t)[0]!;
      expect(titles.has(latest.title)).toBe(false);
      titles.add(latest.title);
    }
  });
});
