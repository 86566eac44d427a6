import { mentionedSymbols } from '@/lib/contract/filters';
import type { SnapshotArticle } from '../types';
import type { Story } from './merge-stories';

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
  return { ...story.item, article: { ...story.item.article, symbols: tags } };
}
