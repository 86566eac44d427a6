import type { SequencedArticle } from '../types';
import { storyKeys } from './article-registry';

export interface Story {
  item: SequencedArticle;
  /** Keys of every feed carrying a copy. */
  feeds: Set<string>;
  keys: Set<string>;
}

/**
 * One entry per story: the copy seen first keeps its seq (so a later copy in another feed is not
 * "new"), and a story carried by a per-symbol feed counts as about the symbol. Newest first.
 * Equal titles merge only across feeds: within one feed they are distinct items (SEC EDGAR titles
 * every filing by its form, so each Form 4 of a company has the same title).
 */
export function mergeDuplicates(items: Array<{ feed: string; item: SequencedArticle }>): Story[] {
  const byKey = new Map<string, Story>();
  const stories = new Set<Story>();
  for (const { feed, item } of items) {
    let story: Story = { item, feeds: new Set([feed]), keys: new Set(storyKeys(item.article)) };
    const absorbed = new Set<Story>();
    for (const key of [...story.keys]) {
      const match = byKey.get(key);
      if (!match || absorbed.has(match) || (key.startsWith('t:') && match.feeds.has(feed))) continue;
      absorbed.add(match);
      stories.delete(match);
      story = combine(match, story);
    }
    stories.add(story);
    // Every key of every absorbed copy now leads to the combined story, never to a superseded one.
    for (const key of story.keys) byKey.set(key, story);
  }
  return [...stories].sort((a, b) => b.item.sortTime - a.item.sortTime || b.item.seq - a.item.seq);
}

function combine(earlier: Story, later: Story): Story {
  const a = earlier.item;
  const b = later.item;
  const symbolScoped = a.article.scope === 'symbol' ? a : b.article.scope === 'symbol' ? b : a;
  const copies = a.copies || b.copies ? [...(a.copies ?? []), ...(b.copies ?? [])] : undefined;
  return {
    // Arrived only if every copy did: a copy from a feed's first view may be older than the watching.
    item: { ...symbolScoped, seq: Math.min(a.seq, b.seq), firstSeen: Math.min(a.firstSeen, b.firstSeen), arrived: a.arrived && b.arrived, ...(copies ? { copies } : {}) },
    feeds: new Set([...earlier.feeds, ...later.feeds]),
    keys: new Set([...earlier.keys, ...later.keys]),
  };
}

