import type { Article } from '@/lib/contract/article';
import { sseFrame } from '@/lib/http/sse-response';
import type { StreamEvent } from '@/lib/stream/events';

/** Milliseconds an EventSource waits before reconnecting after a drop. */
export const SSE_RETRY_MS = 3000;

/**
 * The contract's wire form (§1) of one stream event: `id:` + one `data:` line of a JSON-RPC message.
 * A resumed stream's `connected` event is not repeated (progress must keep rising): it becomes a
 * comment, which still flushes the response headers at once.
 */
export function formatSseEvent(event: StreamEvent, token: string): string {
  if (event.type === 'connected') {
    if (event.resumed) return `retry: ${SSE_RETRY_MS}\n: resumed\n\n`;
    const message = { status: 'connected', timestamp: event.timestamp, ...watched(event), endsAt: event.endsAt, ...(event.demo ? { demo: true } : {}) };
    return `retry: ${SSE_RETRY_MS}\n${frame(event.cursor, progress(token, 0, message))}`;
  }
  if (event.type === 'news') {
    const message = {
      timestamp: event.timestamp,
      ...watched(event),
      news: { count: event.articles.length, articles: [], ...(event.truncated ? { truncated: true } : {}) },
      ...(event.warnings.length ? { warnings: event.warnings } : {}),
    };
    const data = JSON.stringify(progress(token, event.progress, message));
    // The first `"articles":[]` is the news list's: only the timestamp and symbols (no quotes) precede it.
    return sseFrame(event.cursor, data.replace(EMPTY_ARTICLES, () => `${ARTICLES_KEY}[${event.articles.map(escapedArticle).join(',')}]`));
  }
  const text = event.type === 'complete' ? 'Stream complete' : `Error: ${event.message}`;
  return frame(event.cursor, {
    jsonrpc: '2.0',
    result: { content: [{ type: 'text', text }], isError: event.type === 'error' },
    id: token,
  });
}

/** Contract §6.3: watchlist messages carry `symbols` where single-symbol ones carry `symbol`. */
export function watched({ symbols, watchlist }: { symbols: string[]; watchlist: boolean }): { symbol: string } | { symbols: string[] } {
  return watchlist ? { symbols } : { symbol: symbols[0]! };
}

function progress(token: string, value: number, message: object) {
  return {
    jsonrpc: '2.0',
    method: 'notifications/progress',
    params: { progressToken: token, progress: value, total: 1, message: JSON.stringify(message) },
  };
}

/** `"articles":` and `"articles":[]` as they read inside the JSON-encoded message string. */
const ARTICLES_KEY = '\\"articles\\":';
const EMPTY_ARTICLES = `${ARTICLES_KEY}[]`;

/**
 * Encodings kept, oldest dropped first: every article a few symbols' streams show at once, yet a
 * bounded few MiB however many symbols an instance serves (one kept per article would grow with
 * every article the instance ever shows).
 */
const MAX_ENCODED_ARTICLES = 2000;
const escapedArticles = new Map<Article, string>();

/**
 * Each article as it reads inside the message string: JSON, then JSON-escaped again because the
 * message is itself a string. The same article goes to every stream that shows it (the hub shares
 * one copy per article), so it is encoded once, not once per stream and event; a CPU profile of
 * thousands of streams had this encoding among its largest costs. Escaping is per character, so
 * escaped pieces joined are the escape of the joined text.
 */
function escapedArticle(article: Article): string {
  let text = escapedArticles.get(article);
  if (text === undefined) {
    text = JSON.stringify(JSON.stringify(article)).slice(1, -1);
    if (escapedArticles.size >= MAX_ENCODED_ARTICLES) escapedArticles.delete(escapedArticles.keys().next().value!);
    escapedArticles.set(article, text);
  }
  return text;
}

function frame(id: string, payload: object): string {
  return sseFrame(id, JSON.stringify(payload));
}
