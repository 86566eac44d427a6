import { randomBytes } from 'node:crypto';
import { processSingleton } from '@/lib/runtime/process-singleton';

/**
 * The event id / resume cursor. It carries everything a resume needs (stream identity, schedule,
 * how far delivery got), so resuming needs no per-stream server state:
 *   v1.<streamId>.<startedAt>.<endsAt>.<at>.<epoch>.<seq>   (times in ms, numbers in base 36)
 *   v2.<streamId>.<startedAt>.<endsAt>.<at>.<epoch>.<seq>.<sharedEpoch>.<n1>-<n2>-...
 * `seq` is only meaningful to the process (epoch) that issued it. v2, issued when feeds are shared
 * through Redis, adds per feed of the symbol (in feed order; empty when unknown) the highest
 * deployment-wide article number delivered, meaningful on every instance of the deployment.
 * Elsewhere `at` (the time of the event) bounds what was already delivered.
 */
export interface StreamCursor {
  streamId: string;
  startedAt: number;
  endsAt: number;
  /** When the event carrying this cursor was produced. */
  at: number;
  epoch: string;
  seq: number;
  /** Deployment-wide per-feed marks (v2 only). */
  shared?: SharedMarks;
}

export interface SharedMarks {
  epoch: string;
  /** One per feed of the symbol, in feed order; undefined where not known. */
  marks: Array<number | undefined>;
}

/** A symbol has a handful of feeds; more entries than this is not an id we issued. */
const MAX_MARKS = 16;

const pattern =
  /^(v1|v2)\.([a-z0-9]{8,32})\.([a-z0-9]{1,11})\.([a-z0-9]{1,11})\.([a-z0-9]{1,11})\.([a-z0-9]{4,16})\.([a-z0-9]{1,11})(?:\.([a-z0-9]{4,16})\.([a-z0-9-]{0,200}))?$/;

export function encodeCursor(c: StreamCursor): string {
  const parts = [c.streamId, c.startedAt.toString(36), c.endsAt.toString(36), c.at.toString(36), c.epoch, c.seq.toString(36)];
  if (!c.shared || !c.shared.marks.some((m) => m !== undefined)) return ['v1', ...parts].join('.');
  const marks = c.shared.marks.slice(0, MAX_MARKS).map((m) => (m === undefined ? '' : m.toString(36)));
  return ['v2', ...parts, c.shared.epoch, marks.join('-')].join('.');
}

/** Returns null for anything that is not a well-formed, internally consistent cursor. */
export function decodeCursor(raw: string): StreamCursor | null {
  const m = pattern.exec(raw.trim());
  if (!m) return null;
  const [, version, streamId, started, ends, at, epoch, seq, sharedEpoch, marks] = m as unknown as Array<string | undefined>;
  // v1 has exactly seven parts, v2 exactly nine.
  if ((version === 'v2') !== (sharedEpoch !== undefined)) return null;
  const cursor: StreamCursor = {
    streamId: streamId!,
    startedAt: parseInt(started!, 36),
    endsAt: parseInt(ends!, 36),
    at: parseInt(at!, 36),
    epoch: epoch!,
    seq: parseInt(seq!, 36),
  };
  if (sharedEpoch !== undefined) {
    const entries = marks!.split('-');
    if (entries.length > MAX_MARKS || entries.some((e) => e.length > 11)) return null;
    cursor.shared = { epoch: sharedEpoch, marks: entries.map((e) => (e === '' ? undefined : parseInt(e, 36))) };
  }
  if (!(cursor.startedAt <= cursor.at && cursor.startedAt < cursor.endsAt)) return null;
  return cursor;
}

export function newStreamId(): string {
  return randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0');
}

/** One epoch per process: seqs from another process (or before a restart) are not comparable. */
export function processEpoch(): string {
  return processSingleton('epoch', () => randomBytes(6).toString('hex'));
}
