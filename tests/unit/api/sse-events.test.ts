import { describe, expect, it } from 'vitest';
import { SSE_RETRY_MS, formatSseEvent } from '@/lib/api/sse-events';
import { SSE_HEARTBEAT } from '@/lib/http/sse-response';
import type { StreamEvent } from '@/lib/stream/events';
import type { Article } from '@/lib/contract/article';

const token = 'abc123token';
const cursor = 'v1.abcdefgh12.1.2.1.abcd.0';
const ts = '2026-11-25T14:00:00.000Z';

const article: Article = {
  id: 'g-1',
  title: 'Line one\nline two\r\nthree \u2028 four: "quoted" data: x',
  url: 'https://example.com/a',
  source: 'Example',
  publishedAt: ts,
  scope: 'symbol',
  summary: 'id: not-an-id\n\nevent: injected',
  symbols: ['TSLA'],
};

/** Splits one formatted event into its SSE fields, insisting on the contract's exact shape. */
function frame(text: string): { retry?: string; id: string; data: unknown } {
  expect(text.endsWith('\n\n')).toBe(true);
  const lines = text.slice(0, -2).split('\n');
  expect(lines.every((line) => !line.includes('\r'))).toBe(true);
  const retry = lines[0]?.startsWith('retry: ') ? lines.shift()!.slice('retry: '.length) : undefined;
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^id: \S+$/);
  expect(lines[1]).toMatch(/^data: \{/);
  return { ...(retry ? { retry } : {}), id: lines[0]!.slice(4), data: JSON.parse(lines[1]!.slice(6)) };
}

describe('SSE wire format (contract section 1)', () => {
  it('connected: retry, id, one data line with the progress notification at 0', () => {
    const event: StreamEvent = {
      type: 'connected', streamId: token, symbols: ['TSLA'], watchlist: false, endsAt: '2026-11-25T14:01:00.000Z', resumed: false, demo: false,
      cursor, timestamp: ts, progress: 0,
    };
    const text = formatSseEvent(event, token);
    expect(text.startsWith(`retry: ${SSE_RETRY_MS}\nid: ${cursor}\ndata: `)).toBe(true);
    const parsed = frame(text);
    expect(parsed.retry).toBe(String(SSE_RETRY_MS));
    expect(parsed.id).toBe(cursor);
    expect(parsed.data).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: token, progress: 0, total: 1, message: expect.any(String) },
    });
    const message = JSON.parse((parsed.data as { params: { message: string } }).params.message);
    expect(message).toEqual({ status: 'connected', timestamp: ts, symbol: 'TSLA', endsAt: '2026-11-25T14:01:00.000Z' });
  });

  it('connected in demo mode says so', () => {
    const event: StreamEvent = {
      type: 'connected', streamId: token, symbols: ['TSLA'], watchlist: false, endsAt: ts, resumed: false, demo: true, cursor, timestamp: ts, progress: 0,
    };
    const data = frame(formatSseEvent(event, token)).data as { params: { message: string } };
    expect(JSON.parse(data.params.message)).toMatchObject({ status: 'connected', demo: true });
  });

  it('a resumed stream does not repeat connected (progress 0 would go backwards)', () => {
    const event: StreamEvent = {
      type: 'connected', streamId: token, symbols: ['TSLA'], watchlist: false, endsAt: ts, resumed: true, demo: false, cursor, timestamp: ts, progress: 0.5,
    };
    const text = formatSseEvent(event, token);
    expect(text).not.toContain('data:');
    expect(text).toMatch(/^retry: \d+\n/);
    expect(text.endsWith('\n\n')).toBe(true);
    // Everything else is a comment line, ignored by EventSource.
    for (const line of text.split('\n').slice(1).filter(Boolean)) expect(line.startsWith(':')).toBe(true);
  });

  it('news: one data line even when article text holds newlines; count and articles in the message', () => {
    const event: StreamEvent = {
      type: 'news', symbols: ['TSLA'], watchlist: false, articles: [article], warnings: [], cursor, timestamp: ts, progress: 0.25,
    };
    const parsed = frame(formatSseEvent(event, token));
    const data = parsed.data as { jsonrpc: string; method: string; params: Record<string, unknown> };
    expect(data).toMatchObject({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 0.25, total: 1 } });
    const message = JSON.parse(data.params.message as string);
    expect(message).toEqual({ timestamp: ts, symbol: 'TSLA', news: { count: 1, articles: [article] } });
    expect('warnings' in message).toBe(false); // omitted when no feed failed
  });

  it('news: byte for byte what encoding the whole message at once gives, for awkward text, watchlists, truncation and warnings', () => {
    const awkward: Article = {
      ...article,
      id: 'g-2',
      title: 'Quotes " \\ backslash, \u0000 control, lone \ud800 surrogate, emoji \u{1F4C8}, "articles":[] in a title',
      summary: '</script> \t tab \u2029',
    };
    const events: StreamEvent[] = [
      { type: 'news', symbols: ['TSLA'], watchlist: false, articles: [article, awkward, article], warnings: [], cursor, timestamp: ts, progress: 0.25 },
      {
        type: 'news', symbols: ['TSLA', 'BRK.B'], watchlist: true, articles: [awkward], truncated: true,
        warnings: [{ source: 'Feed "x"', error: '"articles":[] broke' }], cursor, timestamp: ts, progress: 0.5,
      },
    ];
    for (const event of events) {
      if (event.type !== 'news') continue;
      const message = {
        timestamp: event.timestamp,
        ...(event.watchlist ? { symbols: event.symbols } : { symbol: event.symbols[0] }),
        news: { count: event.articles.length, articles: event.articles, ...(event.truncated ? { truncated: true } : {}) },
        ...(event.warnings.length ? { warnings: event.warnings } : {}),
      };
      const payload = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: event.progress, total: 1, message: JSON.stringify(message) } };
      const expected = `id: ${cursor}\ndata: ${JSON.stringify(payload)}\n\n`;
      expect(formatSseEvent(event, token)).toBe(expected);
      expect(formatSseEvent(event, token)).toBe(expected); // again, from the cache
    }
  });

  it('news: an empty batch still says count 0; warnings listed when a feed failed', () => {
    const event: StreamEvent = {
      type: 'news', symbols: ['TSLA'], watchlist: false, articles: [], warnings: [{ source: 'CNBC', error: 'feed answered HTTP 500' }], cursor, timestamp: ts, progress: 0.5,
    };
    const data = frame(formatSseEvent(event, token)).data as { params: { message: string } };
    expect(JSON.parse(data.params.message)).toEqual({
      timestamp: ts, symbol: 'TSLA', news: { count: 0, articles: [] }, warnings: [{ source: 'CNBC', error: 'feed answered HTTP 500' }],
    });
  });

  it('final: the JSON-RPC result with "Stream complete", id = progress token', () => {
    const event: StreamEvent = { type: 'complete', delivered: 3, cursor, timestamp: ts, progress: 1 };
    const text = formatSseEvent(event, token);
    expect(text).toBe(
      `id: ${cursor}\ndata: {"jsonrpc":"2.0","result":{"content":[{"type":"text","text":"Stream complete"}],"isError":false},"id":"${token}"}\n\n`,
    );
  });

  it('error final: isError true and text "Error: <message>", still one data line', () => {
    const event: StreamEvent = { type: 'error', message: 'feed hub\nfailed', cursor, timestamp: ts, progress: 1 };
    const parsed = frame(formatSseEvent(event, token));
    expect(parsed.data).toEqual({
      jsonrpc: '2.0',
      result: { content: [{ type: 'text', text: 'Error: feed hub\nfailed' }], isError: true },
      id: token,
    });
  });

  it('heartbeat is a comment line followed by a blank line', () => {
    expect(SSE_HEARTBEAT).toBe(': keep-alive\n\n');
  });
});
