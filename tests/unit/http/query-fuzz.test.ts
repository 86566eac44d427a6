import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeIssues, snapshotQuerySchema, streamQuerySchema } from '@/lib/contract/query';
import { queryObject } from '@/lib/http/query';

const MAX_DURATION = 300_000;
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype'];

/** The two query forms and the names each allows (contract §1, §2 and §6). */
const SELECTION = ['symbol', 'symbols', 'since', 'q', 'forms'] as const;
const forms = [
  { name: 'stream', schema: () => streamQuerySchema(MAX_DURATION), allowed: [...SELECTION, 'interval', 'duration', 'limit'] },
  { name: 'snapshot', schema: () => snapshotQuerySchema(), allowed: [...SELECTION, 'limit'] },
] as const;

function parse(form: (typeof forms)[number], query: string) {
  const url = new URL(`http://localhost/api?${query}`);
  return { names: [...url.searchParams.keys()], sent: url.searchParams, result: form.schema().safeParse(queryObject(url)) };
}

/** The names no form allows, each once, in the order zod reports them (sorted here for comparison). */
function unknownNames(form: (typeof forms)[number], names: string[]): string[] {
  return [...new Set(names.filter((n) => !(form.allowed as readonly string[]).includes(n)))].sort();
}

function unrecognized(result: ReturnType<typeof parse>['result']): string[] {
  const issue = result.error?.issues.find((i) => i.code === 'unrecognized_keys');
  return issue && 'keys' in issue ? [...issue.keys].sort() : [];
}

describe.each(forms)('$name query: names taken literally', (form) => {
  it.each(PROTOTYPE_NAMES.slice(0, 4))('refuses %s as an unknown parameter naming it', (name) => {
    const { result } = parse(form, `symbol=TSLA&${name}=x`);
    expect(result.success).toBe(false);
    expect(unrecognized(result)).toEqual([name]);
    expect(describeIssues(result.error!).message).toContain(name);
  });

  it('refuses them all at once, percent-encoded or not', () => {
    const { result } = parse(form, '%5F%5Fproto%5F%5F=1&constructor=&toString=2&hasOwnProperty=3');
    expect(unrecognized(result)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
  });
});

describe('queryObject: names taken literally', () => {
  it('keeps __proto__ as an own value and reads names never sent as absent', () => {
    const query = queryObject(new URL('http://x/?__proto__=a&__proto__=b&toString=c'));
    expect(Object.keys(query)).toEqual(['__proto__', 'toString']);
    expect(query['__proto__']).toEqual(['a', 'b']);
    expect(query['constructor']).toBeUndefined();
    expect(Object.getPrototypeOf(query)).toBeNull();
  });
});

// ---- Properties over arbitrary query strings -----------------------------------------------------

const nameArb = fc.oneof(
  fc.constantFrom('symbol', 'interval', 'duration', 'limit'),
  fc.constant('__proto__'), // the one name an ordinary object swallows
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom('Symbol', 'LIMIT', 'symbol ', 'symbols', 'since', 'q', 'forms', 'lastEventId', 'query', ''),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const valueArb = fc.oneof(
  fc.integer({ min: -10, max: 400_000 }).map(String),
  fc.integer({ min: -1, max: 60 }).map(String),
  fc.constantFrom('0', '1', '50', '51', '999', '1000', '300000', '300001', '1e3', '1000.0', ' 1000', '+1000', '0x3e8', '', '-0', '0001000'),
  fc.stringMatching(/^\^?[A-Za-z0-9][A-Za-z0-9.=-]{0,13}$/),
  fc.constantFrom('TSLA', 'brk.b', ' tsla ', '^GSPC', 'EURUSD=X', 'ÄPPLE', 'TSLA\u0000'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const escapeEvery = (s: string) => [...new TextEncoder().encode(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** How a name or value is written into the URL: raw (so `&`, `=`, `#`, `+` and `%` restructure it), escaped, or every byte escaped. */
const encoderArb = fc.constantFrom((s: string) => s, encodeURIComponent, escapeEvery, (s: string) => escapeEvery(s).toUpperCase());
/** Integers in and just outside [min, max], and the boundaries written as no integer parameter may be. */
const around = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: min - 100, max: max + 100 }).map(String),
    fc.constantFrom(min - 1, min, max, max + 1).map(String),
    fc.constantFrom(`${min}.0`, `+${min}`, ` ${max}`, `${max} `, `${min}e0`, `0${max}`),
  );
/** Values around each parameter's valid range, so that successes are common too. */
const nearValid: Record<string, fc.Arbitrary<string>> = {
  symbol: fc.stringMatching(/^\^?[A-Za-z0-9][A-Za-z0-9.=-]{0,11}$/),
  symbols: fc.array(fc.stringMatching(/^\^?[A-Za-z0-9][A-Za-z0-9.=-]{0,11}$/), { minLength: 0, maxLength: 27 }).map((l) => l.join(',')),
  since: fc.oneof(fc.constant('v3.abc'), fc.string({ maxLength: 40 })),
  q: fc.oneof(fc.constantFrom('earnings', '"price target" -crypto', '"unbalanced', '-only', ''), fc.string({ maxLength: 30 })),
  forms: fc.oneof(fc.constantFrom('8-K,10-Q', '4', 'SC 13G', '8-K,,10-Q', 'TOOLONGFORMTYPE'), fc.string({ maxLength: 20 })),
  interval: around(1000, 300_000),
  duration: around(1000, MAX_DURATION),
  limit: around(1, 50),
};
/** Anything, or each of the form's names at most once with mostly plausible values. */
function queryArb(allowed: readonly string[]): fc.Arbitrary<string> {
  const plausible = (name: string) => fc.tuple(fc.constant(name), fc.oneof({ arbitrary: nearValid[name]!, weight: 4 }, valueArb), encoderArb);
  return fc
    .oneof(
      fc.array(fc.tuple(nameArb, valueArb, encoderArb), { maxLength: 6 }),
      fc.shuffledSubarray([...allowed]).chain((names) => fc.tuple(...names.map(plausible))),
      fc.shuffledSubarray([...allowed], { minLength: 1 }).chain((names) => fc.tuple(...[...names, names[0]!].map(plausible))),
    )
    .map((pairs) => pairs.map(([name, value, enc]) => `${enc(name)}=${enc(value)}`).join('&'));
}

const SYMBOL = /^\^?[A-Z0-9][A-Z0-9.=-]{0,11}$/;
const RANGES: Record<string, [number, number]> = { interval: [1000, 300_000], duration: [1000, MAX_DURATION], limit: [1, 50] };

describe.each(forms)('$name query: properties', (form) => {
  it('never throws, whatever the query string', () => {
    fc.assert(
      fc.property(queryArb(form.allowed), (query) => {
        const { result } = parse(form, query);
        if (!result.success) expect(describeIssues(result.error).message).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('succeeds only with allowed names, each once, and values in the contract ranges', () => {
    fc.assert(
      fc.property(queryArb(form.allowed), (query) => {
        const { names, sent, result } = parse(form, query);
        if (!result.success) return;
        expect(names.every((n) => (form.allowed as readonly string[]).includes(n))).toBe(true);
        expect(new Set(names).size).toBe(names.length);
        const data: Record<string, unknown> = result.data;
        const optional = { since: 'since', q: 'query', forms: 'forms' } as const;
        const expected = ['symbols', 'watchlist', ...form.allowed.filter((n) => n in RANGES), ...Object.entries(optional).filter(([n]) => sent.has(n)).map(([, k]) => k)];
        expect(Object.keys(data).sort()).toEqual(expected.sort());
        const symbols = data.symbols as string[];
        expect(symbols.length).toBeGreaterThanOrEqual(1);
        expect(symbols.length).toBeLessThanOrEqual(25);
        expect(new Set(symbols).size).toBe(symbols.length);
        for (const symbol of symbols) expect(symbol).toMatch(SYMBOL);
        expect(sent.has('symbol') && sent.has('symbols')).toBe(false);
        expect(data.watchlist).toBe(sent.has('symbols'));
        if (sent.has('symbol')) expect(symbols).toEqual([sent.get('symbol')!.trim().toUpperCase()]);
        for (const [field, [min, max]] of Object.entries(RANGES)) {
          if (!(field in data)) continue;
          expect(Number.isInteger(data[field])).toBe(true);
          expect(data[field]).toBeGreaterThanOrEqual(min);
          expect(data[field]).toBeLessThanOrEqual(max);
          // Sent as plain decimal digits ("1e3", "+1000", " 1000" and "1000.0" are refused), and used as sent.
          if (sent.has(field)) {
            expect(sent.get(field)).toMatch(/^\d+$/);
            expect(data[field]).toBe(Number(sent.get(field)));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('fails for every unknown name, naming each one', () => {
    fc.assert(
      fc.property(queryArb(form.allowed), (query) => {
        const { names, result } = parse(form, query);
        const unknown = unknownNames(form, names);
        fc.pre(unknown.length > 0);
        expect(result.success).toBe(false);
        expect(unrecognized(result)).toEqual(unknown);
      }),
      { numRuns: 300 },
    );
  });
});
