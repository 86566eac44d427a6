import { mentionedSymbols } from '@/lib/contract/filters';
import type { SequencedArticle, SnapshotArticle } from '../types';
import type { Story } from './merge-stories';

/** Tagged copies kept per article: one per distinct tag list, a few at most (beyond, copies are made each time). */
const MAX_COPIES_PER_ARTICLE = 8;

/**
 * Tagged copies by article and tag list. Every selection that shows an article with the same tags
 * shares one copy: a market-wide feed's articles appear, mostly untagged, in the snapshot of every
 * symbol, and a copy per selection made each idle symbol cost a full set of them. Keyed weakly on
 * the feed's own article, so a copy goes when its feed's next fetch replaces the article.
 */
const copies = new WeakMap<SequencedArticle, SnapshotArticle | Map<string, SnapshotArticle>>();

/**
 * Contract §6.3: which requested symbols a story concerns. A copy from a symbol's own feed names
 * that symbol; a copy from a market-wide feed names the requested tickers its title or summary
 * mentions as a whole word (or $TICKER). Listed in the order the symbols were requested.
 */
export function tagSymbols(story: Story, symbols: readonly string[], ownerOf: (feedKey: string) => string | undefined): SnapshotArticle {
  const owners = [...story.feeds].map(ownerOf);
  const fromMarket = owners.some((owner) => owner === undefined);
  const { title, summary } = story.item.article;
  const mentioned = fromMarket ? mentionedSymbols(`${title}\n${summary}`, symbols) : [];
  const tags = symbols.filter((s) => owners.includes(s) || mentioned.includes(s));
  return taggedCopy(story.item, tags);
}

/** Most articles only ever get one tag list: that copy is kept alone, a map only once there are two. */
function taggedCopy(item: SequencedArticle, tags: string[]): SnapshotArticle {
  const key = tags.join(',');
  const known = copies.get(item);
  const existing = known instanceof Map ? known.get(key) : known && known.article.symbols.join(',') === key ? known : undefined;
  if (existing) return existing;
  const copy = { ...item, article: { ...item.article, symbols: tags } };
  if (!known) copies.set(item, copy);
  else if (!(known instanceof Map)) copies.set(item, new Map([[known.article.symbols.join(','), known], [key, copy]]));
  else if (known.size < MAX_COPIES_PER_ARTICLE) known.set(key, copy);
  return copy;
}
