import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, newStreamId, processEpoch, type StreamCursor } from '@/lib/mcp/stream-cursor';

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
});
