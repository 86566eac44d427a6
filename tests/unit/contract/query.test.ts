import { beforeEach, describe, expect, it } from 'vitest';
import { describeIssues, snapshotParamsSchema, streamParamsSchema } from '@/lib/contract/query';
import { symbolSchema as symbolField } from '@/lib/contract/symbols';

/** The query form of a symbol, as the stream's `symbol` parameter validates it. */
const symbolSchema = symbolField('symbol');
/** The server's STREAM_MAX_DURATION_MS for the test at hand. */
let maxDuration = 300_000;

/** Parses like the routes do (strict: unknown parameters refused) and returns data or the 400 message. */
function parse(query: Record<string, unknown>) {
  const result = streamParamsSchema(maxDuration).safeParse(query);
  return result.success ? { ok: true as const, data: result.data } : { ok: false as const, ...describeIssues(result.error) };
}

function rejection(query: Record<string, unknown>): string {
  const result = parse(query);
  if (result.ok) throw new Error(`expected ${JSON.stringify(query).slice(0, 80)} to be rejected, got ${JSON.stringify(result.data)}`);
  return result.message;
}

beforeEach(() => {
  maxDuration = 300_000;
});

describe('stream parameters (contract section 1)', () => {
  it('applies the contract defaults', () => {
    expect(parse({})).toEqual({ ok: true, data: { symbols: ['TSLA'], watchlist: false, interval: 10_000, duration: 60_000, limit: 10 } });
  });

  it.each([
    ['TSLA', 'TSLA'],
    ['  tsla ', 'TSLA'],
    ['brk.b', 'BRK.B'],
    ['^gspc', '^GSPC'],
    ['BTC-USD', 'BTC-USD'],
    ['EURUSD=X', 'EURUSD=X'],
    ['A', 'A'],
    ['ABCDEFGHIJKL', 'ABCDEFGHIJKL'], // 1 + 11: the longest the pattern allows
  ])('accepts symbol %j as %j', (raw, symbol) => {
    expect(symbolSchema.parse(raw)).toBe(symbol);
    expect(parse({ symbol: raw })).toMatchObject({ ok: true, data: { symbols: [symbol], watchlist: false } });
  });

  it.each(['', '   ', '^', '.A', '-A', '=X', 'ABCDEFGHIJKLM', 'TS LA', 'TSLA$', 'TSLA/..', '^^GSPC', 'ТSLA', '<script>', 'x'.repeat(5000)])(
    'rejects symbol %j with a message naming the field',
    (raw) => {
      expect(rejection({ symbol: raw })).toMatch(/^symbol/);
    },
  );

  it('rejects a non-string symbol (repeated query parameter) naming the field', () => {
    expect(rejection({ symbol: ['TSLA', 'AAPL'] })).toMatch(/^symbol/);
  });

  it.each([
    ['interval', 1000, 300_000],
    ['limit', 1, 50],
    ['duration', 1000, 300_000],
  ])('%s accepts exactly its range %d…%d, as text or JSON number', (field, min, max) => {
    expect(parse({ [field]: String(min) })).toMatchObject({ ok: true, data: { [field]: min } });
    expect(parse({ [field]: String(max) })).toMatchObject({ ok: true, data: { [field]: max } });
    expect(parse({ [field]: max })).toMatchObject({ ok: true, data: { [field]: max } });
    const message = `${field} must be an integer from ${min} to ${max}`;
    expect(rejection({ [field]: String(min - 1) })).toContain(message);
    expect(rejection({ [field]: String(max + 1) })).toContain(message);
  });

  it.each(['0', '-1', '-10000', 'abc', '10.5', '1e4', '1e12', '0x10', '+5000', '', '10000ms', 'NaN', 'Infinity', '999999999999999999999'])(
    'rejects interval %j naming the field and the range',
    (raw) => {
      expect(rejection({ interval: raw })).toContain('interval must be an integer from 1000 to 300000');
    },
  );

  it.each([10.5, -5, 0, 1e12])('rejects JSON number interval %d naming the field and range', (raw) => {
    expect(rejection({ interval: raw })).toContain('interval must be an integer from 1000 to 300000');
  });

  it('rejects integers padded with whitespace (" 10000", "10000 ")', () => {
    expect(rejection({ interval: ' 10000' })).toContain('interval must be an integer from 1000 to 300000 (milliseconds)');
    expect(rejection({ limit: '10 ' })).toContain('limit must be an integer from 1 to 50');
  });

  // A repeated parameter (?interval=1000&interval=2000) reaches the schema as an array, and an MCP
  // client may send `true` or `null`: the message must still name the allowed range.
  it('names the allowed range when an integer parameter is repeated', () => {
    expect(rejection({ interval: ['1000', '2000'] })).toContain('interval must be an integer from 1000 to 300000');
  });
  it('names the allowed range when an integer parameter has the wrong JSON type', () => {
    expect(rejection({ limit: true })).toContain('limit must be an integer from 1 to 50');
  });
  it('still names the field for wrong types and repeats', () => {
    expect(rejection({ interval: ['1000', '2000'] })).toMatch(/^interval/);
    expect(rejection({ limit: null })).toMatch(/^limit/);
  });

  it('duration is bounded by STREAM_MAX_DURATION_MS', () => {
    maxDuration = 20_000;
    expect(parse({ duration: '20000' })).toMatchObject({ ok: true, data: { duration: 20_000 } });
    expect(rejection({ duration: '20001' })).toContain('duration must be an integer from 1000 to 20000 (milliseconds)');
    // The default (60 s) must not exceed a smaller maximum.
    expect(parse({})).toMatchObject({ ok: true, data: { duration: 20_000 } });
  });

  it('refuses unknown parameters by name', () => {
    expect(rejection({ symbol: 'TSLA', intervall: '1000' })).toContain('intervall');
  });

  it('reports every bad field, each by name', () => {
    const result = parse({ interval: '0', limit: '51', symbol: '!!' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fields).sort()).toEqual(['interval', 'limit', 'symbol']);
    expect(result.message).toContain('interval must be an integer from 1000 to 300000');
    expect(result.message).toContain('limit must be an integer from 1 to 50');
  });
});

describe('snapshot parameters (contract section 2)', () => {
  it('has symbol and limit only, with the same rules', () => {
    expect(snapshotParamsSchema().parse({})).toEqual({ symbols: ['TSLA'], watchlist: false, limit: 10 });
    expect(snapshotParamsSchema().parse({ symbol: ' nvda', limit: '50' })).toEqual({ symbols: ['NVDA'], watchlist: false, limit: 50 });
    const result = snapshotParamsSchema().safeParse({ limit: '0' });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error).message).toContain('limit must be an integer from 1 to 50');
  });
});

describe('watchlists and filters (contract §6.3, §6.4)', () => {
  it('takes 1 to 25 distinct symbols, normalised, in the order given', () => {
    expect(parse({ symbols: 'tsla, aapl ,^gspc' })).toMatchObject({ ok: true, data: { symbols: ['TSLA', 'AAPL', '^GSPC'], watchlist: true } });
    const max = Array.from({ length: 25 }, (_, i) => `S${i}`).join(',');
    expect(parse({ symbols: max })).toMatchObject({ ok: true });
  });

  it.each([
    ['', /^symbols must list 1 to 25 distinct tickers/],
    [',', /^symbols must list 1 to 25/],
    ['TSLA,,AAPL', /^symbols must list 1 to 25/],
    ['TSLA,tsla', /^symbols lists TSLA twice/],
    ['TSLA,NOT A TICKER', /^symbols entry "NOT A TICKER" must be a ticker matching/],
    [Array.from({ length: 26 }, (_, i) => `S${i}`).join(','), /^symbols must list 1 to 25/],
  ])('refuses symbols=%j naming the field and the rule', (symbols, message) => {
    expect(rejection({ symbols })).toMatch(message);
  });

  it('refuses symbol together with symbols', () => {
    expect(rejection({ symbol: 'TSLA', symbols: 'AAPL' })).toMatch(/^symbols cannot be combined with symbol/);
  });

  it.each([
    ['', /^q must be 1 to 200 characters/],
    ['x'.repeat(201), /^q must be 1 to 200 characters/],
    ['"price target', /^q has an unbalanced double quote/],
  ])('refuses q=%j naming the field and the rule', (q, message) => {
    expect(rejection({ q })).toMatch(message);
  });

  it.each([
    ['8-K,10 Q', /^forms entry "10 Q" must be 1 to 12 letters, digits, "-" or "\/"/],
    ['8-K,,4', /^forms has an empty entry/],
    ['A'.repeat(13), /^forms entry/],
  ])('refuses forms=%j naming the field and the rule', (forms, message) => {
    expect(rejection({ forms })).toMatch(message);
  });

  it('parses q and forms for the stream layer, and keeps since as text for it to verify', () => {
    const result = parse({ q: 'earnings "price target" -crypto', forms: '8-k,10-Q', since: 'v3.abc' });
    expect(result).toMatchObject({
      ok: true,
      data: { query: { include: [['earnings'], ['price', 'target']], exclude: [['crypto']] }, forms: ['8-K', '10-Q'], since: 'v3.abc' },
    });
  });
});
