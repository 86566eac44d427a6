import { describe, expect, it } from 'vitest';
import { checkFilter } from '@/lib/dashboard/filter-input';
import { describeHttpFailure, parseRetryAfter } from '@/lib/dashboard/http-failure';
import { articleLimit, snapshotUrl, streamOptionNotices, streamOptionsFromQuery, streamUrl } from '@/lib/dashboard/stream-options';
import { checkSymbol } from '@/lib/dashboard/symbol';
import { loadView, saveView, urlWithView, VIEW_KEY } from '@/lib/dashboard/view-state';
import { addToWatchlist, removeFromWatchlist, watchlistFromParams, watchlistNotices } from '@/lib/dashboard/watchlist';

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
});

describe('watchlist', () => {
  const full = Array.from({ length: 25 }, (_, i) => `S${i}`);

  it('adds one ticker or several, normalised, in order', () => {
    expect(addToWatchlist(['TSLA'], ' aapl ')).toEqual({ ok: true, symbols: ['TSLA', 'AAPL'], added: ['AAPL'] });
    expect(addToWatchlist(['TSLA'], 'aapl, nvda brk.b,,aapl')).toEqual({ ok: true, symbols: ['TSLA', 'AAPL', 'NVDA', 'BRK.B'], added: ['AAPL', 'NVDA', 'BRK.B'] });
    // A share class written with a space is asked about, not split into two other companies.
    expect(addToWatchlist(['TSLA'], 'brk b')).toEqual({
      ok: false,
      message: '"brk b" looks like one ticker with its share class: write it BRK.B. To add several symbols, separate them with commas.',
    });
    expect(addToWatchlist(['TSLA'], 'aapl, BF B')).toMatchObject({ ok: false, message: expect.stringContaining('write it BF.B') });
    expect(addToWatchlist(['TSLA'], 'aapl msft')).toMatchObject({ ok: true, added: ['AAPL', 'MSFT'] });
    // Already watched ones among new ones are simply skipped.
    expect(addToWatchlist(['TSLA'], 'tsla aapl')).toMatchObject({ ok: true, symbols: ['TSLA', 'AAPL'] });
  });

  it.each([
    [['TSLA'], '', 'Enter a ticker symbol, e.g. TSLA.'],
    [['TSLA'], ' , ', 'Enter a ticker symbol, e.g. TSLA.'],
    [['TSLA'], 'tsla', 'TSLA is already on your watchlist.'],
    [['TSLA', 'AAPL'], 'aapl tsla', 'Those symbols are already on your watchlist.'],
    [['TSLA'], 'TSLA; DROP', '"TSLA;" is not a ticker. Use 1–12 letters'],
    [['TSLA'], '$$$', 'Use 1–12 letters'],
    [full, 'AAPL', 'A watchlist holds at most 25 symbols: remove one before adding AAPL.'],
    [full.slice(0, 24), 'AAPL NVDA', 'A watchlist holds at most 25 symbols: there is room for 1 more.'],
  ])('refuses %j + %j with a reason', (list, input, message) => {
    const change = addToWatchlist(list, input);
    expect(change.ok).toBe(false);
    expect(!change.ok && change.message).toContain(message);
  });

  it('accepts the 25th symbol', () => {
    expect(addToWatchlist(full.slice(0, 24), 'AAPL')).toMatchObject({ ok: true });
  });

  it('removes, but never the last symbol', () => {
    expect(removeFromWatchlist(['TSLA', 'AAPL'], 'TSLA')).toEqual({ ok: true, symbols: ['AAPL'], added: [] });
    expect(removeFromWatchlist(['TSLA'], 'TSLA')).toEqual({ ok: false, message: 'A watchlist needs at least one symbol: add another before removing TSLA.' });
    expect(removeFromWatchlist(['TSLA'], 'NVDA')).toMatchObject({ ok: true, symbols: ['TSLA'] });
  });

  it('reads symbols= or the older symbol= from a link, keeping what is valid', () => {
    expect(watchlistFromParams('tsla,AAPL,nvda', undefined)).toEqual(['TSLA', 'AAPL', 'NVDA']);
    expect(watchlistFromParams(undefined, 'nvda')).toEqual(['NVDA']);
    expect(watchlistFromParams('TSLA,<script>,tsla,,AAPL', 'X')).toEqual(['TSLA', 'AAPL']);
    expect(watchlistFromParams('<script>', undefined)).toBeNull();
    expect(watchlistFromParams(undefined, undefined)).toBeNull();
    expect(watchlistFromParams(Array.from({ length: 30 }, (_, i) => `S${i}`).join(','), undefined)).toHaveLength(25);
  });
});

describe('filter input', () => {
  it('applies valid filters trimmed, and an empty box as no filter', () => {
    expect(checkFilter('  earnings -rumor ')).toEqual({ ok: true, q: 'earnings -rumor', query: { include: [['earnings']], exclude: [['rumor']] } });
    expect(checkFilter('   ')).toEqual({ ok: true, q: '', query: null });
  });

  it('explains what the API would refuse, in words for people', () => {
    expect(checkFilter('"record quarter')).toEqual({
      ok: false,
      message: 'The filter has an unbalanced double quote. Use words, "a phrase" in double quotes, or -word to exclude.',
    });
    expect(checkFilter('x'.repeat(201))).toMatchObject({ ok: false, message: expect.stringMatching(/^The filter must be 1 to 200 characters\./) });
    expect(checkFilter('$$$')).toMatchObject({ ok: false, message: expect.stringMatching(/^The filter term "\$\$\$" has no letters or digits\./) });
  });
});

describe('watch view in the address bar and in storage', () => {
  const store = () => {
    const map = new Map<string, string>();
    return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
  };

  it('survives a round trip and reads anything odd in storage as nothing', () => {
    const storage = store();
    saveView(storage, { symbols: ['NVDA', 'TSLA'], q: 'earnings' });
    expect(loadView(storage)).toEqual({ symbols: ['NVDA', 'TSLA'], q: 'earnings' });
    for (const raw of ['not json', '{"a":1}', '{"symbols":[],"q":""}', '{"symbols":["<bad>"],"q":""}', '{"symbols":["TSLA"],"q":"\\"open"}']) {
      storage.map.set(VIEW_KEY, raw);
      expect(loadView(storage)).toBeNull();
    }
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } };
    expect(loadView(throwing)).toBeNull();
    expect(() => saveView(throwing, { symbols: ['A'], q: '' })).not.toThrow();
    expect(loadView(undefined)).toBeNull();
  });

  it('writes symbols= (readable commas) and q, keeping the other parameters', () => {
    const href = 'https://app.example/dashboard?symbol=TSLA&interval=1000';
    const next = urlWithView(href, { symbols: ['TSLA', '^GSPC', 'BRK.B'], q: '"record quarter"' });
    const url = new URL(next);
    expect(url.search).toContain('symbols=TSLA,%5EGSPC,BRK.B');
    expect(Object.fromEntries(url.searchParams)).toEqual({ interval: '1000', symbols: 'TSLA,^GSPC,BRK.B', q: '"record quarter"' });
    const cleared = new URL(urlWithView(next, { symbols: ['TSLA'], q: '' }));
    expect(cleared.searchParams.has('q')).toBe(false);
  });

  it('leaves an address that already says the same untouched (a shared ?symbol=TSLA link stays as it is)', () => {
    const href = 'https://app.example/dashboard?symbol=TSLA';
    expect(urlWithView(href, { symbols: ['TSLA'], q: '' })).toBe(href);
    expect(urlWithView('https://app.example/dashboard', { symbols: ['TSLA'], q: '' })).toBe('https://app.example/dashboard');
  });

  it("names a link's tickers it could not use", () => {
    expect(watchlistNotices(undefined, undefined)).toEqual([]);
    expect(watchlistNotices('TSLA,aapl', undefined)).toEqual([]);
    expect(watchlistNotices('TSLA,lol lol', undefined)).toEqual(['The link\'s "lol lol" is not a ticker and was left out.']);
    expect(watchlistNotices(undefined, 'lol lol')).toEqual([
      'The link\'s "lol lol" is not a ticker and was left out. It names no ticker the page can use, so it shows your last watchlist (or TSLA) instead.',
    ]);
    const thirty = Array.from({ length: 30 }, (_, i) => `S${i}`).join(',');
    expect(watchlistNotices(thirty, undefined)).toEqual(['The link lists 30 symbols; a watchlist holds 25, so the first 25 are shown.']);
  });

  it('corrects a link the page could not use as given to what it shows', () => {
    const symbolsOf = (href: string) => new URL(href).searchParams.get('symbols');
    // An invalid list fell back to the default; a list of 30 was cut to 25; lower case was normalised.
    expect(symbolsOf(urlWithView('https://app.example/dashboard?symbols=lol%20lol', { symbols: ['TSLA'], q: '' }))).toBe('TSLA');
    const thirty = Array.from({ length: 30 }, (_, i) => `S${i}`);
    expect(symbolsOf(urlWithView(`https://app.example/dashboard?symbols=${thirty.join(',')}`, { symbols: thirty.slice(0, 25), q: '' }))).toBe(thirty.slice(0, 25).join(','));
    expect(symbolsOf(urlWithView('https://app.example/dashboard?symbols=tsla', { symbols: ['TSLA'], q: '' }))).toBe('TSLA');
    // A filter the page refused is not kept in the address as if it applied.
    expect(new URL(urlWithView('https://app.example/dashboard?symbols=TSLA&q=%22open', { symbols: ['TSLA'], q: '' })).searchParams.has('q')).toBe(false);
  });
});

describe('stream options from the dashboard URL', () => {
  const server = { maxDuration: 300_000, heartbeat: 15_000 };

  it('is open-ended without a duration, fixed with one (capped at the server maximum)', () => {
    expect(streamOptionsFromQuery({}, server)).toEqual({ interval: 10_000, duration: null, ...server });
    expect(streamOptionsFromQuery({ interval: '1000', duration: '8000' }, server)).toMatchObject({ interval: 1000, duration: 8000 });
    expect(streamOptionsFromQuery({ duration: '999999999' }, server).duration).toBe(300_000);
    expect(streamOptionsFromQuery({ interval: '10', duration: 'soon' }, server)).toMatchObject({ interval: 10_000, duration: null });
    expect(streamOptionsFromQuery({ duration: ['5000', '9000'] }, server).duration).toBe(5000);
  });

  it('says what it did with an interval or duration it could not use as written', () => {
    expect(streamOptionNotices({}, server)).toEqual([]);
    expect(streamOptionNotices({ interval: '1000', duration: '8000' }, server)).toEqual([]);
    expect(streamOptionNotices({ interval: '5' }, server)).toEqual(['The link\'s interval=5 is not milliseconds from 1000 to 300000: updates come every 10 s.']);
    expect(streamOptionNotices({ duration: 'soon' }, server)).toEqual([
      'The link\'s duration=soon is not milliseconds of at least 1000: the stream stays live until you stop it.',
    ]);
    expect(streamOptionNotices({ duration: '999999999' }, server)).toEqual(['The link\'s duration=999999999 is longer than this server allows: the stream lasts 300 s.']);
  });

  it('builds the contract URLs: symbol= for one ticker, symbols= for several, since when set, q for the snapshot only', () => {
    const one = new URL(streamUrl({ symbols: ['^GSPC'], interval: 1000, duration: 8000 }), 'http://x');
    expect(one.pathname).toBe('/api/mcp/stream-news');
    expect(Object.fromEntries(one.searchParams)).toEqual({ symbol: '^GSPC', interval: '1000', duration: '8000', limit: '10' });
    const many = new URL(streamUrl({ symbols: ['TSLA', 'AAPL', 'NVDA'], interval: 5000, duration: 60_000, since: 'v1.abc' }), 'http://x');
    expect(Object.fromEntries(many.searchParams)).toEqual({
      symbols: 'TSLA,AAPL,NVDA',
      interval: '5000',
      duration: '60000',
      limit: '30',
      since: 'v1.abc',
    });
    expect(snapshotUrl(['TSLA', 'AAPL'], '-rumor')).toBe('/api/news?symbols=TSLA%2CAAPL&limit=20&q=-rumor');
    expect(snapshotUrl(['TSLA'], '')).toBe('/api/news?symbol=TSLA&limit=10');
  });

  it('asks for about ten articles per ticker, within the contract limit', () => {
    expect([1, 2, 5, 25].map(articleLimit)).toEqual([10, 20, 50, 50]);
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
      reason: 'Too many open streams: at most 5 per client.',
      retryAfterSeconds: 30,
    });
    expect(describeHttpFailure(429, undefined, null, now).message).toBe('Too many streams right now. Try again shortly.');
    // The reason, for a page that retries on its own with a countdown, drops the server's stale wait.
    const starts = describeHttpFailure(429, body('Too many stream starts: at most 10 per minute per client; retry after 10 s'), '10', now);
    expect(starts.reason).toBe('Too many stream starts: at most 10 per minute per client.');
    expect(describeHttpFailure(503, body('At capacity; retry after 30 s'), '30', now).reason).toBe('The server is busy right now. At capacity.');
  });

  it('names other refusals', () => {
    expect(describeHttpFailure(400, body('duration must be 1000 … 300000'), null, now).message).toBe(
      'The request was refused as invalid. duration must be 1000 … 300000.',
    );
    expect(describeHttpFailure(401, undefined, null, now).message).toMatch(/API key/);
    expect(describeHttpFailure(403, undefined, null, now).message).toMatch(/origin/);
    expect(describeHttpFailure(502, '<html>', null, now).message).toBe('The server failed (HTTP 502). Try again shortly.');
    expect(describeHttpFailure(503, body('Too many symbols in use'), '20', now)).toEqual({
      status: 503,
      message: 'The server is busy right now. Too many symbols in use. Try again in 20 seconds.',
      reason: 'The server is busy right now. Too many symbols in use.',
      retryAfterSeconds: 20,
    });
  });
});
