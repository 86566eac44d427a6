import type { Article } from '@/lib/contract/article';

/** The wire form of an article (the contract's: `symbols` always present, empty unless given). */
export function wireArticle(id: string, extra: object = {}) {
  return {
    id,
    title: `Title ${id}`,
    url: `https://news.example.com/${id}`,
    source: 'Wire',
    publishedAt: '2026-11-25T10:00:00.000Z',
    scope: 'symbol' as const,
    summary: 'Summary',
    symbols: [] as string[],
    ...extra,
  };
}

/** A contract Article as the dashboard holds it, published at 10:`minute` on 25 Nov 2026. */
export function received(id: string, minute: number, extra: Partial<Article> = {}): Article {
  const publishedAt = new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();
  return { ...wireArticle(id), url: `https://x.example/${id}`, publishedAt, summary: '', symbols: ['TSLA'], ...extra };
}

/** A JSON-RPC progress notification as the stream's `data:` line carries it. */
export function progressData(token: string | number, value: number, message: object | string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    method: 'notifications/progress',
    params: { progressToken: token, progress: value, total: 1, message: typeof message === 'string' ? message : JSON.stringify(message) },
  });
}

export function finalData(token: string | number, isError = false, text = isError ? 'Error: feeds down' : 'Stream complete'): string {
  return JSON.stringify({ jsonrpc: '2.0', result: { content: [{ type: 'text', text }], isError }, id: token });
}
