import { describe, expect, it } from 'vitest';
import { mergeDuplicates } from '@/lib/news/hub/merge-stories';
import type { SequencedArticle } from '@/lib/news/types';

const copy = (feed: string, seq: number, firstSeen: number, arrived: boolean) => ({
  feed,
  item: {
    article: { id: `${feed}-x`, title: 'Tesla recalls vehicles over a software fault', url: 'https://news.example/story', source: feed, scope: 'market' as const, summary: '', symbols: [] },
    seq,
    sortTime: 1_000,
    firstSeen,
    arrived,
  } satisfies SequencedArticle,
});

describe('mergeDuplicates', () => {
  it('one story per link: the first number and first-seen time, and arrived only if every copy arrived', () => {
    const [both] = mergeDuplicates([copy('a', 5, 2_000, true), copy('b', 3, 4_000, true)]);
    expect(both!.item).toMatchObject({ seq: 3, firstSeen: 2_000, arrived: true });
    // One copy came from a feed's first read: nothing says the story was not there before.
    const [mixed] = mergeDuplicates([copy('a', 5, 2_000, true), copy('b', 3, 4_000, false)]);
    expect(mixed!.item).toMatchObject({ seq: 3, firstSeen: 2_000, arrived: false });
    expect(mergeDuplicates([copy('a', 5, 2_000, false), copy('b', 3, 4_000, true)])[0]!.item.arrived).toBe(false);
  });
});
