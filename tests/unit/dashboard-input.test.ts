import { describe, expect, it } from 'vitest';
import { describeHttpFailure, parseRetryAfter } from '@/lib/dashboard/http-failure';
import { addRecent, loadRecent, MAX_RECENT, RECENT_KEY, saveRecent } from '@/lib/dashboard/recent-symbols';
import { DEFAULT_DURATION_MS, DEFAULT_INTERVAL_MS, streamOptionsFromQuery, streamUrl } from '@/lib/dashboard/stream-options';
import { checkSymbol, symbolFromQuery } from '@/lib/dashboard/symbol';

describe('symbol input', () => {
  it('accepts the contract examples, trimmed and upper-cased', () => {
    for (const [raw, symbol] of [['tsla', 'TSLA'], [' BRK.B ', 'BRK.B'], ['^gspc', '^GSPC'], ['btc-usd', 'BTC-USD'], ['EURUSD=X', 'EURUSD=X']]) {
      expect(checkSymbol(raw!)).toEqual({ ok: true, symbol });
    }
  });

  it('refuses bad input with a message for the user', () => {
    expect(checkSymbol('')).toEqual({ ok: false, message: 'Enter a ticker symbol, e.g. TSLA.' });
    for (const bad of ['TSLA; DROP', 'ABCDEFGHIJKLMN', '.TSLA', '^', 'TS LA', '$$$']) {
      const check = checkSymbol(bad);
      expect(check.ok).toBe(false);
      expect(!check.ok && check.message).toMatch(/1–12 letters/);
    }
  });

  it('trusts a URL symbol only when valid', () => {
    expect(symbolFromQuery('nvda')).toBe('NVDA');
    expect(symbolFromQuery(['aapl', 'msft'])).toBe('AAPL');
    expect(symbolFromQuery('<script>')).toBe('TSLA');
    expect(symbolFromQuery(undefined)).toBe('TSLA');
  });
});

describe('recent symbols', () => {
  it('keeps the most recent first, without repeats, bounded', () => {
    let list: string[] = [];
    for (const s of ['A', 'B', 'A', 'C']) list = addRecent(list, s);
    expect(list).toEqual(['C', 'A', 'B']);
    for (let i = 0; i < 20; i += 1) list = addRecent(list, `S${i}`);
    expect(list).toHaveLength(MAX_RECENT);
  });

  it('survives a round trip and reads anything odd in storage as empty', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveRecent(storage, ['NVDA', 'TSLA']);
    expect(loadRecent(storage)).toEqual(['NVDA', 'TSLA']);
    for (const raw of ['not json', '{"a":1}', '["ok", "<bad>"]']) {
      store.set(RECENT_KEY, raw);
      expect(loadRecent(storage)).toEqual([]);
    }
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } };
    expect(loadRecent(throwing)).toEqual([]);
    expect(() => saveRecent(throwing, ['A'])).not.toThrow();
    expect(loadRecent(undefined)).toEqual([]);
  });
});

describe('stream options from the dashboard URL', () => {
  it('takes valid values and falls back to the defaults otherwise', () => {
    expect(streamOptionsFromQuery({ interval: '1000', duration: '8000' })).toEqual({ interval: 1000, duration: 8000 });
    expect(streamOptionsFromQuery({})).toEqual({ interval: DEFAULT_INTERVAL_MS, duration: DEFAULT_DURATION_MS });
    expect(streamOptionsFromQuery({ interval: '10', duration: 'soon' })).toEqual({ interval: DEFAULT_INTERVAL_MS, duration: DEFAULT_DURATION_MS });
  });

  it('builds the contract URL', () => {
    const url = new URL(streamUrl('^GSPC', { interval: 1000, duration: 8000 }, 10), 'http://x');
    expect(url.pathname).toBe('/api/mcp/stream-news');
    expect(Object.fromEntries(url.searchParams)).toEqual({ symbol: '^GSPC', interval: '1000', duration: '8000', limit: '10' });
  });
});

describe('HTTP refusals in words', () => {
  const now = Date.parse('2026-11-25T12:00:00.000Z');
  const body = (message: string) => ({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('explains a 429 with the wait', () => {
    const failure = describeHttpFailure(429, body('Too many open streams: at most 5 per client'), '30', now);
    expect(failure).toEqual({
      status: 429,
      message: 'Too many streams right now. Too many open streams: at most 5 per client. Try again in 30 seconds.',
      retryAfterSeconds: 30,
    });
    expect(describeHttpFailure(429, undefined, null, now).message).toBe('Too many streams right now. Try again shortly.');
  });

  it('names other refusals', () => {
    expect(describeHttpFailure(400, body('duration must be 1000 … 300000'), null, now).message).toBe(
      'The request was refused as invalid. duration must be 1000 … 300000.',
    );
    expect(describeHttpFailure(401, undefined, null, now).message).toMatch(/API key/);
    expect(describeHttpFailure(403, undefined, null, now).message).toMatch(/origin/);
    expect(describeHttpFailure(502, '<html>', null, now).message).toBe('The server failed (HTTP 502). Try again shortly.');
  });
});
