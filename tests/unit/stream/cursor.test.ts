import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, newStreamId, processEpoch, type StreamCursor } from '@/lib/stream/cursor';

const base: StreamCursor = {
  streamId: newStreamId(),
  startedAt: Date.UTC(2026, 10, 25, 14, 0, 0, 123),
  endsAt: Date.UTC(2026, 10, 25, 14, 1, 0, 123),
  at: Date.UTC(2026, 10, 25, 14, 0, 30, 7),
  epoch: processEpoch(),
  seq: 123_456,
};

describe('stream cursor (event id)', () => {
  it('round-trips every field exactly', () => {
    const id = encodeCursor(base);
    expect(decodeCursor(id)).toEqual(base);
    expect(decodeCursor(` ${id}\n`)).toEqual(base); // header values may carry whitespace
  });

  it('is safe as an SSE id: one line, no spaces or colons', () => {
    const id = encodeCursor(base);
    expect(id).toMatch(/^[a-z0-9.]+$/);
  });

  it('round-trips seq 0 and at == startedAt (the connected event)', () => {
    const first = { ...base, at: base.startedAt, seq: 0 };
    expect(decodeCursor(encodeCursor(first))).toEqual(first);
  });

  it('gives each stream its own id and the process one epoch', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newStreamId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{8,32}$/);
    expect(processEpoch()).toBe(processEpoch());
  });

  it.each([
    '',
    'garbage',
    'v1',
    'v2.abcdefgh.1.2.1.abcd.0',
    'v1.short.1.2.1.abcd.0',
    `${encodeCursor(base)}.extra`,
    encodeCursor(base).replace('v1.', 'V1.'),
    encodeCursor(base).replace(/\.[a-z0-9]+$/, '.-1'),
    'v1.abcdefgh.zzzzzzzzzzzz.zzzzzzzzzzzz.zzzzzzzzzzzz.abcd.0',
    'x'.repeat(5000),
    '../../etc/passwd',
  ])('rejects malformed id %j', (raw) => {
    expect(decodeCursor(raw)).toBeNull();
  });

  it('rejects tampered ids whose times are inconsistent', () => {
    expect(decodeCursor(encodeCursor({ ...base, endsAt: base.startedAt }))).toBeNull();
    expect(decodeCursor(encodeCursor({ ...base, endsAt: base.startedAt - 1 }))).toBeNull();
    expect(decodeCursor(encodeCursor({ ...base, at: base.startedAt - 1 }))).toBeNull();
  });

  describe('v2 (feeds shared through Redis): per-feed deployment-wide marks', () => {
    const shared = { epoch: 'abcd1234', marks: [5, undefined, 1_000_000, 0] };

    it('round-trips marks, keeping unknown entries unknown', () => {
      const id = encodeCursor({ ...base, shared });
      expect(id.startsWith('v2.')).toBe(true);
      expect(id).toMatch(/^[a-z0-9.-]+$/);
      expect(decodeCursor(id)).toEqual({ ...base, shared });
    });

    it('is v1 when no mark is known', () => {
      const id = encodeCursor({ ...base, shared: { epoch: 'abcd1234', marks: [undefined, undefined] } });
      expect(id.startsWith('v1.')).toBe(true);
      expect(decodeCursor(id)).toEqual(base);
    });

    it('keeps at most 16 marks, and refuses ids claiming more', () => {
      const many = { epoch: 'abcd1234', marks: Array.from({ length: 20 }, (_, i) => i + 1) };
      expect(decodeCursor(encodeCursor({ ...base, shared: many }))?.shared?.marks).toEqual(many.marks.slice(0, 16));
      const v1 = encodeCursor(base).replace(/^v1/, 'v2');
      expect(decodeCursor(`${v1}.abcd1234.${Array.from({ length: 17 }, () => '1').join('-')}`)).toBeNull();
      expect(decodeCursor(`${v1}.abcd1234.${'z'.repeat(12)}`)).toBeNull();
    });

    it('refuses a v1 id with v2 parts and a v2 id without them', () => {
      const v2 = encodeCursor({ ...base, shared });
      expect(decodeCursor(v2.replace(/^v2/, 'v1'))).toBeNull();
      expect(decodeCursor(encodeCursor(base).replace(/^v1/, 'v2'))).toBeNull();
    });
  });
});
