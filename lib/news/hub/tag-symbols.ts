import { mentionedSymbols } from '@/lib/contract/filters';
import { sameSymbols } from '@/lib/contract/symbols';
import type { SequencedArticle } from '../types';
import type { Story } from './merge-stories';

/** Tagged copies kept per article: one per distinct tag list, a few at most (beyond, copies are made each time). */
const MAX_COPIES_PER_ARTICLE = 8;

/**
 * Copies of articles a selection tags otherwise than their feed does (a market-wide story that
 * names a watched ticker, a story several feeds carry), by article and tag list: every selection
 * that tags an article alike shares one. Keyed weakly on the feed's own article, so a copy goes
 * when its feed drops the article.
 */
const copies = new WeakMap<SequencedArticle, Map<string, SequencedArticle>>();

/**
 * Contract §6.3: which requested symbols a story concerns. A copy from a symbol's own feed names
 * that symbol; a copy from a market-wide feed names the requested tickers its title or summary
 * mentions as a whole word (or $TICKER). Listed in the order the symbols were requested.
 */
export function tagSymbols(story: Story, symbols: readonly string[], ownerOf: (feedKey: string) => string | undefined): SequencedArticle {
  const owners = [...story.feeds].map(ownerOf);
  const fromMarket = owners.some((owner) => owner === undefined);
  const { title, summary } = story.item.article;
  const mentioned = fromMarket ? mentionedSymbols(`${title}\n${summary}`, symbols) : [];
  const tags = symbols.filter((s) => owners.includes(s) || mentioned.includes(s));
  // Most stories: a symbol's own feed, or market news naming no watched ticker. Their feed's tags
  // already say so, and the article goes out as it is.
  return sameSymbols(tags, story.item.article.symbols) ? story.item : taggedCopy(story.item, tags);
}

function taggedCopy(item: SequencedArticle, tags: string[]): SequencedArticle {
  const key = tags.join(',');
  let known = copies.get(item);
  const existing = known?.get(key);
  if (existing) return existing;
  // `symbols` is already a field of the article: overriding it keeps the copy in the article's hidden class.
  const copy = { ...item, article: { ...item.article, symbols: tags } };
  if (!known) copies.set(item, (known = new Map()));
  if (known.size < MAX_COPIES_PER_ARTICLE) known.set(key, copy);
  return copy;
}
