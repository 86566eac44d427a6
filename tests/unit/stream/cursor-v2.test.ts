import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, newStreamId, processEpoch, type StreamCursor } from '@/lib/stream/cursor';

/** v2 ids (feeds shared through Redis); v1 is covered by tests/unit/stream-cursor.test.ts. */
const base: StreamCursor = {
  streamId: newStreamId(),
  startedAt: Date.UTC(2026, 10, 25, 14, 0, 0, 123),
  endsAt: Date.UTC(2026, 10, 25, 14, 1, 0, 123),
  at: Date.UTC(2026, 10, 25, 14, 0, 30, 7),
  epoch: processEpoch(),
  seq: 42,
  shared: { epoch: 'a1b2c3d4e5f6', marks: [17, undefined, 123_456] },
};

describe('stream cursor v2 (deployment-wide per-feed marks)', () => {
  it('round-trips, including unknown marks, and stays a safe SSE id', () => {
    const id = encodeCursor(base);
    expect(id.startsWith('v2.')).toBe(true);
    expect(id).toMatch(/^[a-z0-9.-]+$/);
    expect(decodeCursor(id)).toEqual(base);
  });

  it('is v1 when no feed has a shared mark', () => {
    const id = encodeCursor({ ...base, shared: { epoch: 'a1b2c3d4e5f6', marks: [undefined, undefined] } });
    expect(id.startsWith('v1.')).toBe(true);
    expect(decodeCursor(id)).not.toHaveProperty('shared');
  });

  it.each([
    (id: string) => id.replace(/^v2\./, 'v1.'), // v1 must have exactly seven parts
    (id: string) => id.replace(/\.[a-z0-9-]*$/, ''), // v2 must have nine
    (id: string) => `${id}.extra`,
    (id: string) => id.replace(/\.[a-z0-9-]*$/, `.${Array.from({ length: 17 }, () => '1').join('-')}`), // too many feeds
    (id: string) => id.replace(/\.[a-z0-9-]*$/, '.zzzzzzzzzzzz'), // a mark longer than 11 digits
    (id: string) => id.replace(/\.[a-z0-9-]*$/, '.1_2'),
  ])('rejects a malformed v2 id (%#)', (mangle) => {
    expect(decodeCursor(mangle(encodeCursor(base)))).toBeNull();
  });
});
