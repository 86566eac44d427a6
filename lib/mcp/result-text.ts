import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Article, FeedWarning } from '@/lib/contract/article';

/** Headlines listed in a result's text; structuredContent always carries every article. */
const MAX_LISTED = 20;

/** "14:05 UTC" today, "Jan 30 14:05 UTC" otherwise: short enough for a model to scan. */
export function shortTime(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'time unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'time unknown';
  const hm = date.toISOString().slice(11, 16);
  const sameDay = date.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  if (sameDay) return `${hm} UTC`;
  return `${date.toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })} ${hm} UTC`;
}

/** One line per article: "- Title — Source, 14:05 UTC <url>". */
export function headlineList(articles: readonly Article[]): string {
  const lines = articles.slice(0, MAX_LISTED).map((a) => {
    const when = a.publishedAt ? shortTime(a.publishedAt) : `first seen ${shortTime(a.firstSeenAt)}`;
    return `- ${a.title} — ${a.source}, ${when} ${a.url}`;
  });
  if (articles.length > MAX_LISTED) lines.push(`- … and ${articles.length - MAX_LISTED} more (see structuredContent)`);
  return lines.join('\n');
}

export function warningLine(warnings: readonly FeedWarning[]): string | undefined {
  if (warnings.length === 0) return undefined;
  return `Feeds unavailable: ${warnings.map((w) => `${w.source} (${w.error})`).join(', ')}.`;
}

export function articleCount(n: number, symbol: string, adjective = ''): string {
  const what = `${adjective}${symbol} article${n === 1 ? '' : 's'}`;
  return `${n === 0 ? 'No' : n} ${what}`;
}

/** How a message names what was watched: "TSLA", "TSLA, AAPL", or "watchlist (12 symbols)". */
export function watchLabel(symbols: readonly string[]): string {
  return symbols.length <= 3 ? symbols.join(', ') : `watchlist (${symbols.length} symbols)`;
}

/** `symbol` for one, `symbols` for a watchlist, as the call asked. */
export function watchedFields(symbols: string[], watchlist: boolean): { symbol: string } | { symbols: string[] } {
  return watchlist ? { symbols } : { symbol: symbols[0]! };
}

export const DEMO_NOTE = 'Note: this server runs on its built-in demo feed; these are not real news.';

/** A tool result the model can read and act on (tool failures are reported in band, not as protocol errors). */
export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `Error: ${message}` }] };
}
