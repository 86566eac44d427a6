import { describe, expect, it } from 'vitest';
import { parseStreamMessage } from '@/lib/dashboard/stream-messages';

import { progressData as progress, wireArticle as article } from './fixtures';

describe('parseStreamMessage', () => {
  it('decodes the connected event, with the demo flag', () => {
    const data = progress('tok', 0, { status: 'connected', timestamp: '2026-11-25T10:00:00Z', symbol: 'TSLA', endsAt: '2026-11-25T10:01:00Z', demo: true });
    expect(parseStreamMessage(data)).toEqual({
      kind: 'connected',
      token: 'tok',
      symbols: ['TSLA'],
      endsAt: '2026-11-25T10:01:00Z',
      timestamp: '2026-11-25T10:00:00Z',
      demo: true,
      resumed: false,
    });
  });

  it('decodes a news event with its articles and warnings', () => {
    const data = progress(7, 0.25, {
      timestamp: '2026-11-25T10:00:15Z',
      symbol: 'TSLA',
      news: { count: 2, articles: [article('a'), article('b', { scope: 'market' })] },
      warnings: [{ source: 'CNBC', error: 'HTTP 503' }],
    });
    const message = parseStreamMessage(data);
    expect(message).toMatchObject({ kind: 'news', token: 7, progress: 0.25, symbols: ['TSLA'], truncated: false, warnings: [{ source: 'CNBC', error: 'HTTP 503' }] });
    expect(message?.kind === 'news' && message.articles.map((a) => [a.id, a.scope])).toEqual([
      ['a', 'symbol'],
      ['b', 'market'],
    ]);
  });

  it('reads watchlist messages: symbols, tagged articles and a truncated catch-up', () => {
    const connected = progress('w', 0, { status: 'connected', timestamp: 't', symbols: ['TSLA', 'AAPL'], endsAt: 'e' });
    expect(parseStreamMessage(connected)).toMatchObject({ kind: 'connected', symbols: ['TSLA', 'AAPL'] });
    const data = progress('w', 0.1, {
      timestamp: 't',
      symbols: ['TSLA', 'AAPL'],
      news: { count: 2, truncated: true, articles: [article('a', { symbols: ['AAPL'], form: '8-K' }), article('m', { scope: 'market', symbols: [] })] },
    });
    const message = parseStreamMessage(data);
    expect(message).toMatchObject({ kind: 'news', symbols: ['TSLA', 'AAPL'], truncated: true });
    expect(message?.kind === 'news' && message.articles.map((a) => [a.id, a.symbols, a.form])).toEqual([
      ['a', ['AAPL'], '8-K'],
      ['m', [], undefined],
    ]);
  });

  it('drops only the malformed articles of a batch, including non-http links', () => {
    const data = progress('t', 0.5, {
      timestamp: 'x',
      symbol: 'TSLA',
      news: { count: 4, articles: [article('ok'), article('js', { url: 'javascript:alert(1)' }), { id: 'no-fields' }, article('bad-scope', { scope: 'other' })] },
    });
    const message = parseStreamMessage(data);
    expect(message?.kind === 'news' && message.articles.map((a) => a.id)).toEqual(['ok']);
  });

  it('keeps an article without publishedAt but with firstSeenAt', () => {
    const data = progress('t', 0.5, {
      timestamp: 'x',
      symbol: 'TSLA',
      news: { count: 1, articles: [article('undated', { publishedAt: undefined, firstSeenAt: '2026-11-25T09:00:00Z' })] },
    });
    const message = parseStreamMessage(data);
    expect(message?.kind === 'news' && message.articles[0]).toMatchObject({ id: 'undated', firstSeenAt: '2026-11-25T09:00:00Z' });
  });

  it('decodes the final result, success and error', () => {
    const ok = JSON.stringify({ jsonrpc: '2.0', result: { content: [{ type: 'text', text: 'Stream complete' }], isError: false }, id: 'tok' });
    expect(parseStreamMessage(ok)).toEqual({ kind: 'final', token: 'tok', isError: false, text: 'Stream complete' });
    const failed = JSON.stringify({ jsonrpc: '2.0', result: { content: [{ type: 'text', text: 'Error: feeds down' }], isError: true }, id: 3 });
    expect(parseStreamMessage(failed)).toEqual({ kind: 'final', token: 3, isError: true, text: 'Error: feeds down' });
  });

  it('returns null for anything else instead of throwing', () => {
    for (const data of ['', 'not json', '{}', '[]', 'null', progress('t', 0.1, 'not json inside'), progress('t', 0.1, { hello: 1 }), JSON.stringify({ jsonrpc: '2.0', method: 'other' })]) {
      expect(parseStreamMessage(data)).toBeNull();
    }
  });
});
