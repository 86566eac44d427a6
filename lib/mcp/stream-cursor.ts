import { randomBytes } from 'node:crypto';

/**
 * The event id / resume cursor. It carries everything a resume needs (stream identity, schedule,
 * how far delivery got), so resuming needs no per-stream server state:
 *   v1.<streamId>.<startedAt>.<endsAt>.<at>.<epoch>.<seq>   (times in ms, numbers in base 36)
 * `seq` is only meaningful to the process (epoch) that issued it; elsewhere `at` (the time of the
 * event) bounds what was already delivered.
 */
export interface StreamCursor {
  streamId: string;
  startedAt: number;
  endsAt: number;
  /** When the event carrying this cursor was produced. */
  at: number;
  epoch: string;
  seq: number;
}

const pattern = /^v1\.([a-z0-9]{8,32})\.([a-z0-9]{1,11})\.([a-z0-9]{1,11})\.([a-z0-9]{1,11})\.([a-z0-9]{4,16})\.([a-z0-9]{1,11})$/;

export function encodeCursor(c: StreamCursor): string {
  return ['v1', c.streamId, c.startedAt.toString(36), c.endsAt.toString(36), c.at.toString(36), c.epoch, c.seq.toString(36)].join('.');
}

/** Returns null for anything that is not a well-formed, internally consistent cursor. */
export function decodeCursor(raw: string): StreamCursor | null {
  const m = pattern.exec(raw.trim());
  if (!m) return null;
  const [, streamId, started, ends, at, epoch, seq] = m as unknown as string[];
  const cursor = {
    streamId: streamId!,
    startedAt: parseInt(started!, 36),
    endsAt: parseInt(ends!, 36),
    at: parseInt(at!, 36),
    epoch: epoch!,
    seq: parseInt(seq!, 36),
  };
  if (!(cursor.startedAt <= cursor.at && cursor.startedAt < cursor.endsAt)) return null;
  return cursor;
}

export function newStreamId(): string {
  return randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0');
}

// One epoch per process: seqs from another process (or before a restart) are not comparable.
const key = Symbol.for('market-pulse.epoch');
const store = globalThis as unknown as Record<symbol, string | undefined>;
export function processEpoch(): string {
  return (store[key] ??= randomBytes(6).toString('hex'));
}
