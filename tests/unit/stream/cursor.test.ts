import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, newStreamId, type CursorProblem, type StreamCursor } from '@/lib/stream/cursor';

const SECRET = 'test-secret-0123456789abcdefghijklmnop';
const codec = createCursorCodec(SECRET);
const MAX_SPAN = 300_000;
const NOW = Date.UTC(2026, 10, 25, 14, 0, 30);
const MAX_TIME = 8.64e15;
/** Options under which no cursor is in the future or too long: only shape, MAC, range and an empty span refuse. */
const LENIENT = { now: MAX_TIME, maxSpanMs: Number.MAX_SAFE_INTEGER };

const base: StreamCursor = {
  streamId: 'abcdef0123456789',
  startedAt: NOW - 30_000,
  endsAt: NOW + 30_000,
  at: NOW,
  epoch: 'e1f2a3b4',
  seq: 42,
  scope: 'k3x9',
};
const withShared: StreamCursor = { ...base, shared: { epoch: 'redis01', marks: [7, undefined, 0, 1234567] } };

const decode = (raw: string, options: { now?: number; maxSpanMs?: number } = {}) =>
  codec.decode(raw, { now: NOW, maxSpanMs: MAX_SPAN, ...options });
const problemOf = (raw: string, options?: { now?: number; maxSpanMs?: number }) => {
  const result = decode(raw, options);
  return result.ok ? 'ok' : result.problem;
};
const timeProblem = (fields: Partial<StreamCursor>, options?: { now?: number; maxSpanMs?: number }) =>
  problemOf(codec.encode({ ...base, ...fields }), options);

describe('signed cursor: format', () => {
  it('is v3, dot-separated fields in base 36, then a 128-bit hex MAC', () => {
    expect(codec.encode(base)).toMatch(/^v3\.abcdef0123456789\.([0-9a-z]+\.){3}e1f2a3b4\.16\.k3x9\.[0-9a-f]{32}$/);
    const [, , startedAt, endsAt, at] = codec.encode(base).split('.');
    expect([startedAt, endsAt, at].map((s) => parseInt(s as string, 36))).toEqual([base.startedAt, base.endsAt, base.at]);
  });

  it('is stable: the MAC is HMAC-SHA256 over the domain prefix and the text before it, cut to 128 bits', () => {
    // Every instance of a deployment (and the next release) must issue and accept the same ids.
    const id = 'v3.abcdef0123456789.mww6xfk0.mww6ypuo.mww6y2pc.e1f2a3b4.16.k3x9.redis01.7--0-qglj.063d4ca52cd2b6ef2605460bf6726d4e';
    expect(codec.encode(withShared)).toBe(id);
    const body = id.slice(0, id.lastIndexOf('.'));
    const mac = createHmac('sha256', SECRET).update(`market-pulse stream cursor v3\n${body}`).digest('hex');
    expect(id).toBe(`${body}.${mac.slice(0, 32)}`);
  });

  it('round-trips every field, and tells no marks from one unknown mark', () => {
    for (const cursor of [base, withShared, { ...base, shared: { epoch: 'abcd', marks: [] } }, { ...base, shared: { epoch: 'abcd', marks: [undefined] } }]) {
      expect(decode(codec.encode(cursor))).toStrictEqual({ ok: true, cursor });
    }
  });

  it('stays within 359 characters of [a-z0-9.-] at the largest values', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const largest: StreamCursor = {
      streamId: 'z'.repeat(32), startedAt: big, endsAt: big, at: big, epoch: 'z'.repeat(16), seq: big, scope: 'z'.repeat(16),
      shared: { epoch: 'z'.repeat(16), marks: Array(16).fill(big) },
    };
    const id = codec.encode(largest);
    expect(id).toHaveLength(359);
    expect(id).toMatch(/^[a-z0-9.-]+$/);
    expect(problemOf(id)).toBe('range'); // well-formed and authentic: only the time rules refuse it
    expect(problemOf(`${id}0`)).toBe('malformed');
  });

  it('refuses to encode a cursor outside the documented domains', () => {
    const bad: Array<Partial<StreamCursor>> = [
      { streamId: 'short' }, { streamId: 'UPPERCASE1' }, { epoch: 'ab' }, { scope: '' }, { scope: 'a.b' },
      { startedAt: -1 }, { at: 1.5 }, { seq: Number.MAX_SAFE_INTEGER + 1 }, { endsAt: Number.NaN },
      { shared: { epoch: 'abcd', marks: Array(17).fill(1) } }, { shared: { epoch: 'abcd', marks: [-1] } }, { shared: { epoch: 'a-b-c', marks: [] } },
    ];
    for (const fields of bad) expect(() => codec.encode({ ...base, ...fields }), JSON.stringify(fields)).toThrow(RangeError);
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => createCursorCodec('x'.repeat(31))).toThrow(/32/);
    expect(() => createCursorCodec('')).toThrow();
    expect(createCursorCodec('x'.repeat(32)).encode(base)).toMatch(/^v3\./);
  });

  it('makes random stream ids that fit the grammar', () => {
    const ids = new Set(Array.from({ length: 50 }, newStreamId));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]{12,32}$/);
      expect(problemOf(codec.encode({ ...base, streamId: id }))).toBe('ok');
    }
  });
});

describe('signed cursor: shape and signature', () => {
  const id = codec.encode(withShared);
  const mac = id.slice(id.lastIndexOf('.') + 1);

  it.each([
    ['old unsigned v1 ids', 'v1.abcdef0123456789.mi3f0k1f.mi3f1yj7.mi3f18ws.e1f2a3b4.16'],
    ['old unsigned v2 ids', 'v2.abcdef0123456789.mi3f0k1f.mi3f1yj7.mi3f18ws.e1f2a3b4.16.redis01.7--0'],
    ['the empty string', ''],
    ['trailing data', `${id}.x`],
    ['a trailing newline', `${id}\n`],
    ['surrounding whitespace', ` ${id}`],
    ['upper case', id.toUpperCase()],
    ['an upper-case MAC', id.replace(mac, mac.toUpperCase())],
    ['a short MAC', id.slice(0, -1)],
    ['a leading zero', id.replace('.16.', '.016.')],
    ['an integer beyond 2^53', id.replace('.16.', '.zzzzzzzzzzz.')],
    ['17 marks', id.replace('.7--0-qglj.', `.${'1-'.repeat(16)}1.`)],
    ['another version', id.replace(/^v3/, 'v4')],
    ['an overlong input', `${id}${'a'.repeat(10_000_000)}`],
  ])('calls %s malformed', (_, raw) => {
    expect(decode(raw)).toStrictEqual({ ok: false, problem: 'malformed', message: 'is not a well-formed event id' });
  });

  it('refuses changed fields, a changed MAC and another secret as not issued here', () => {
    const changed = [
      id.replace('.16.', '.17.'), // a later seq
      id.replace(`.${base.endsAt.toString(36)}.`, `.${(base.endsAt + 1000).toString(36)}.`), // a longer stream
      id.replace('.7--0-qglj.', '.7-1-0-qglj.'),
      id.replace('.redis01.7--0-qglj.', '.'), // shared marks dropped
      id.replace(mac, mac.replace(/.$/, (c) => (c === '0' ? '1' : '0'))),
      createCursorCodec(`${SECRET}!`).encode(withShared),
    ];
    for (const raw of changed) {
      expect(decode(raw)).toStrictEqual({ ok: false, problem: 'signature', message: 'is not an event id this API issued' });
    }
  });

  it('checks the MAC before any time rule, so a forged cursor learns nothing about them', () => {
    const future = codec.encode({ ...base, startedAt: NOW + 60_000, at: NOW + 60_000, endsAt: NOW + 90_000 });
    expect(problemOf(future)).toBe('future');
    expect(problemOf(future.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBe('signature');
  });

  it('never throws on input that is not even a string', () => {
    for (const raw of [undefined, null, 42, {}, ['v3']]) expect(problemOf(raw as unknown as string)).toBe('malformed');
  });
});

describe('signed cursor: time rules on verified cursors', () => {
  it('accepts a cursor starting exactly 5000 ms ahead, refuses 5001', () => {
    const ahead = (ms: number) => ({ startedAt: NOW + ms, at: NOW + ms, endsAt: NOW + ms + 1000 });
    expect(timeProblem(ahead(5000))).toBe('ok');
    expect(timeProblem(ahead(5001))).toBe('future');
    expect(timeProblem({ at: NOW + 5000 })).toBe('ok');
    expect(timeProblem({ at: NOW + 5001 })).toBe('future');
  });

  it('accepts a span of exactly the maximum, refuses one millisecond more or an empty one', () => {
    expect(timeProblem({ endsAt: base.startedAt + MAX_SPAN })).toBe('ok');
    expect(timeProblem({ endsAt: base.startedAt + MAX_SPAN + 1 })).toBe('span');
    expect(timeProblem({ endsAt: base.startedAt + 1 })).toBe('ok');
    expect(timeProblem({ endsAt: base.startedAt })).toBe('span');
    expect(timeProblem({ endsAt: base.startedAt - 1 })).toBe('span');
    expect(timeProblem({ endsAt: base.startedAt + 60_000 }, { maxSpanMs: 59_999 })).toBe('span');
  });

  it('refuses times outside the Date range and an event before its stream started', () => {
    const edge = { startedAt: MAX_TIME - 1000, at: MAX_TIME, endsAt: MAX_TIME };
    expect(timeProblem(edge, { now: MAX_TIME })).toBe('ok');
    expect(timeProblem({ ...edge, endsAt: MAX_TIME + 1 }, { now: MAX_TIME })).toBe('range');
    expect(timeProblem({ ...edge, at: MAX_TIME + 1 }, { now: MAX_TIME })).toBe('range');
    expect(timeProblem({ startedAt: MAX_TIME + 1, at: MAX_TIME + 1, endsAt: MAX_TIME + 2 }, { now: MAX_TIME })).toBe('range');
    expect(timeProblem({ startedAt: 0, at: 0, endsAt: 1000 })).toBe('ok');
    expect(timeProblem({ at: base.startedAt - 1 })).toBe('range');
    expect(timeProblem({ at: base.startedAt })).toBe('ok');
  });

  it('applies the rules in order: range, then future, then span', () => {
    const farFuture = NOW + 10 * MAX_SPAN;
    expect(timeProblem({ startedAt: farFuture, at: farFuture - 1, endsAt: farFuture })).toBe('range');
    expect(timeProblem({ startedAt: farFuture, at: farFuture, endsAt: farFuture })).toBe('future');
    expect(timeProblem({ at: base.startedAt, endsAt: base.startedAt + 2 * MAX_SPAN })).toBe('span');
  });

  it('words each refusal as a short phrase the caller prefixes with the field name', () => {
    const messages = [
      decode(codec.encode({ ...base, startedAt: NOW + 6000, at: NOW + 6000, endsAt: NOW + 7000 })),
      decode(codec.encode({ ...base, endsAt: base.startedAt + MAX_SPAN + 1 })),
      decode(codec.encode({ ...base, endsAt: base.startedAt })),
      decode(codec.encode({ ...base, at: base.startedAt - 1 })),
      decode(codec.encode({ ...base, endsAt: MAX_TIME + 1 })),
    ].map((r) => (r.ok ? 'ok' : `${r.problem}: ${r.message}`));
    expect(messages).toEqual([
      'future: starts in the future',
      'span: spans more than the longest allowed stream (300000 ms)',
      'span: ends before it starts',
      'range: holds an event time before its stream started',
      'range: holds a time outside the date range',
    ]);
  });
});

// ---- Properties ----------------------------------------------------------------------------------

const name = (min: number, max: number) => fc.stringMatching(new RegExp(`^[a-z0-9]{${min},${max}}$`));
const safeNat = fc.oneof(fc.maxSafeNat(), fc.nat(1000), fc.constantFrom(0, MAX_TIME, MAX_TIME + 1, Number.MAX_SAFE_INTEGER));
const sharedMarks = fc.record({
  epoch: name(4, 16),
  marks: fc.array(fc.option(safeNat, { nil: undefined }), { maxLength: 16 }),
}, { noNullPrototype: true });
const fields = {
  streamId: name(8, 32),
  epoch: name(4, 16),
  seq: safeNat,
  scope: name(1, 16),
  shared: sharedMarks,
};
/** Any cursor in the documented domains, times included: the time rules may refuse it. */
const anyCursor: fc.Arbitrary<StreamCursor> = fc.record(
  { ...fields, startedAt: safeNat, endsAt: safeNat, at: safeNat },
  { requiredKeys: ['streamId', 'startedAt', 'endsAt', 'at', 'epoch', 'seq', 'scope'], noNullPrototype: true },
);
/** Times near a clock and a maximum span, so every boundary of every time rule is in reach. */
const nearCase = fc
  .record({
    now: fc.integer({ min: 10_000_000, max: MAX_TIME }),
    maxSpanMs: fc.integer({ min: 1000, max: 400_000 }),
    start: fc.integer({ min: -1_000_000, max: 10_000 }),
    span: fc.integer({ min: -10, max: 400_000 }),
    atOffset: fc.integer({ min: -10, max: 500_000 }),
    cursor: anyCursor,
  })
  .map(({ now, maxSpanMs, start, span, atOffset, cursor }) => {
    const startedAt = now + start;
    return { now, maxSpanMs, cursor: { ...cursor, startedAt, endsAt: startedAt + span, at: startedAt + atOffset } };
  });
/** Cursors that keep every time rule, from a span of one millisecond to the maximum. */
const validCase = fc
  .record({
    now: fc.integer({ min: 10_000_000, max: MAX_TIME - 500_000 }),
    maxSpanMs: fc.integer({ min: 1, max: 400_000 }),
    start: fc.integer({ min: -1_000_000, max: 5000 }),
    seeds: fc.tuple(fc.maxSafeNat(), fc.maxSafeNat()),
    cursor: anyCursor,
  })
  .map(({ now, maxSpanMs, start, seeds: [spanSeed, atSeed], cursor }) => {
    const startedAt = now + start;
    const at = startedAt + (atSeed % (now + 5000 - startedAt + 1));
    return { now, maxSpanMs, cursor: { ...cursor, startedAt, endsAt: startedAt + 1 + (spanSeed % maxSpanMs), at } };
  });
const anyCase = fc.oneof(
  nearCase,
  fc.record({ now: safeNat, maxSpanMs: safeNat, cursor: anyCursor }),
);

/** The first time rule a cursor breaks, straight from the contract. */
function brokenRule({ startedAt, endsAt, at }: StreamCursor, now: number, maxSpanMs: number): CursorProblem | 'ok' {
  if ([startedAt, endsAt, at].some((t) => t < 0 || t > MAX_TIME) || at < startedAt) return 'range';
  if (startedAt > now + 5000 || at > now + 5000) return 'future';
  if (endsAt <= startedAt || endsAt - startedAt > maxSpanMs) return 'span';
  return 'ok';
}

/** One edit of a valid id: the kinds of change a client or an attacker could make. */
const mutation: fc.Arbitrary<(id: string) => string> = fc.oneof(
  fc.tuple(fc.nat(), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 })).map(([i, c]) => (id: string) => {
    const at = i % id.length;
    return id.slice(0, at) + c + id.slice(at + 1);
  }),
  fc.tuple(fc.nat(), fc.constantFrom('a', 'z', '0', '9', '.', '-', 'A', ' ', '\n', 'é')).map(([i, c]) => (id: string) => {
    const at = i % (id.length + 1);
    return id.slice(0, at) + c + id.slice(at);
  }),
  fc.nat().map((i) => (id: string) => id.slice(0, i % id.length) + id.slice((i % id.length) + 1)),
  fc.nat().map((i) => (id: string) => id.slice(0, i % id.length)),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => (id: string) => {
    const parts = id.split('.');
    const [a, b] = [i % parts.length, j % parts.length];
    [parts[a], parts[b]] = [parts[b] as string, parts[a] as string];
    return parts.join('.');
  }),
  fc.nat().map((i) => (id: string) => {
    const at = i % id.length;
    return id.slice(0, at) + id.charAt(at).toUpperCase() + id.slice(at + 1);
  }),
  fc.constant((id: string) => id.toUpperCase()),
);
const secret = fc.string({ minLength: 32, maxLength: 80 });

describe('signed cursor: properties', () => {
  it('round-trips every valid cursor', () => {
    fc.assert(
      fc.property(validCase, ({ now, maxSpanMs, cursor }) => {
        expect(codec.decode(codec.encode(cursor), { now, maxSpanMs })).toStrictEqual({ ok: true, cursor });
      }),
      { numRuns: 300 },
    );
  });

  it('encodes every cursor in the domains as an id only the time rules can refuse', () => {
    fc.assert(
      fc.property(anyCursor, (cursor) => {
        const id = codec.encode(cursor);
        expect(id).toMatch(/^v3\.[a-z0-9.-]+$/);
        expect(id.length).toBeLessThanOrEqual(359);
        const result = codec.decode(id, LENIENT);
        if (result.ok) expect(result.cursor).toStrictEqual(cursor);
        else expect(['range', 'span']).toContain(result.problem);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary strings, arbitrary unicode or id-like text', () => {
    const inputs = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.stringMatching(/^v3(\.[a-z0-9-]{0,20}){0,14}$/),
    );
    fc.assert(
      fc.property(inputs, (raw) => {
        const result = decode(raw);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['malformed', 'signature']).toContain(result.problem);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on, and never verifies, a mutated id', () => {
    fc.assert(
      fc.property(anyCursor, fc.array(mutation, { minLength: 1, maxLength: 3 }), (cursor, edits) => {
        const id = codec.encode(cursor);
        const mutated = edits.reduce((text, edit) => edit(text), id);
        const result = codec.decode(mutated, LENIENT);
        if (mutated === id) return;
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['malformed', 'signature']).toContain(result.problem);
      }),
      { numRuns: 1000 },
    );
  });

  it('never verifies an id under another secret', () => {
    fc.assert(
      fc.property(secret, secret, anyCursor, (one, other, cursor) => {
        fc.pre(one !== other);
        const result = createCursorCodec(other).decode(createCursorCodec(one).encode(cursor), LENIENT);
        expect(result).toMatchObject({ ok: false, problem: 'signature' });
      }),
      { numRuns: 200 },
    );
  });

  it('verifies a cursor exactly when it keeps every time rule, naming the first it breaks', () => {
    fc.assert(
      fc.property(anyCase, ({ now, maxSpanMs, cursor }) => {
        const result = codec.decode(codec.encode(cursor), { now, maxSpanMs });
        expect(result.ok ? 'ok' : result.problem).toBe(brokenRule(cursor, now, maxSpanMs));
      }),
      { numRuns: 1000 },
    );
  });
});
