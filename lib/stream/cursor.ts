import { createHash, createHmac, createSecretKey, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { processSingleton } from '@/lib/runtime/process-singleton';

/**
 * Signed resume cursors (contract §6.1). Every SSE event id and MCP `cursor` is one of these:
 *
 *   v3.<streamId>.<startedAt>.<endsAt>.<at>.<epoch>.<seq>.<scope>[.<sharedEpoch>[.<marks>]].<mac>
 *
 * Times and integers are canonical base 36 (no leading zeros). `marks` joins the shared marks with
 * `-`, an empty entry standing for an unknown mark; the field is left out when there are no marks
 * at all, so that `[]` and `[undefined]` stay distinct. `mac` is HMAC-SHA256 over a domain prefix
 * plus everything before the final dot, truncated to 128 bits, in lowercase hex.
 *
 * The cursor carries the limits a client must not be able to choose (when its stream started and
 * must end, which process issued it, what it is bound to), so resuming needs no server state but
 * every field has to be authenticated: an unsigned cursor let clients forge their way past
 * duration, rate and concurrency limits.
 */

export interface SharedMarks {
  epoch: string;
  /** One per feed, in feed order; undefined where not known. At most 16. */
  marks: Array<number | undefined>;
}

export interface StreamCursor {
  streamId: string;
  startedAt: number;
  endsAt: number;
  /** When the event carrying this cursor was produced. */
  at: number;
  epoch: string;
  seq: number;
  /** A hash of what the stream is bound to (its symbol set). */
  scope: string;
  shared?: SharedMarks;
}

export type CursorProblem = 'malformed' | 'signature' | 'future' | 'span' | 'range';
export type DecodedCursor = { ok: true; cursor: StreamCursor } | { ok: false; problem: CursorProblem; message: string };

export interface CursorCodec {
  encode(cursor: StreamCursor): string;
  /** `now` and `maxSpanMs` (the server's STREAM_MAX_DURATION_MS) come from the caller so tests control them. */
  decode(raw: string, options: { now: number; maxSpanMs: number }): DecodedCursor;
}

const MIN_SECRET_LENGTH = 32;
const MAX_MARKS = 16;
/** How far ahead of this server's clock a cursor may start: other instances' clocks drift a little. */
const CLOCK_SKEW_MS = 5000;
/** The JavaScript Date range, in ms since 1970 (times before 1970 are never issued). */
const MAX_TIME = 8.64e15;

/**
 * Separates these MACs from anything else that might one day be computed with the same secret
 * (another token type, a later cursor version): a tag made for one purpose never verifies as another.
 */
const DOMAIN = 'market-pulse stream cursor v3\n';

/**
 * 128 bits of tag: a forger gets one guess per request, so 2^-128 per guess is far beyond reach;
 * the full 256 bits would only make every URL longer.
 */
const MAC_BYTES = 16;

const NAME = { streamId: /^[a-z0-9]{8,32}$/, epoch: /^[a-z0-9]{4,16}$/, scope: /^[a-z0-9]{1,16}$/ };
/** Canonical base 36 of a safe integer: 2^53 - 1 is `2gosa7pa2gv`, 11 digits. */
const INT = '(?:0|[1-9a-z][0-9a-z]{0,10})';
const SHAPE = new RegExp(
  `^v3\\.([a-z0-9]{8,32})\\.(${INT})\\.(${INT})\\.(${INT})\\.([a-z0-9]{4,16})\\.(${INT})\\.([a-z0-9]{1,16})` +
    `(?:\\.([a-z0-9]{4,16})(?:\\.((?:${INT})?(?:-(?:${INT})?){0,${MAX_MARKS - 1}}))?)?` +
    `\\.([0-9a-f]{${MAC_BYTES * 2}})$`,
);
/** The longest id SHAPE admits: 2 + 32 + 3×11 + 16 + 11 + 16 + 16 + (16×11 + 15) + 32, plus ten dots. */
const MAX_ID_LENGTH = 359;

export function createCursorCodec(secret: string): CursorCodec {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the stream cursor secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    encode(cursor) {
      const body = bodyOf(cursor);
      return `${body}.${mac(key, body).toString('hex')}`;
    },
    decode(raw, { now, maxSpanMs }) {
      // Length first: nothing longer than an id we could have issued reaches the regex.
      const match = typeof raw === 'string' && raw.length <= MAX_ID_LENGTH ? SHAPE.exec(raw) : null;
      const cursor = match && cursorOf(match);
      if (!match || !cursor) return refuse('malformed', 'is not a well-formed event id');
      const body = raw.slice(0, raw.lastIndexOf('.'));
      if (!timingSafeEqual(mac(key, body), Buffer.from(match[10] as string, 'hex'))) {
        return refuse('signature', 'is not an event id this API issued');
      }
      const { startedAt, endsAt, at } = cursor;
      if ([startedAt, endsAt, at].some((t) => t > MAX_TIME)) return refuse('range', 'holds a time outside the date range');
      if (at < startedAt) return refuse('range', 'holds an event time before its stream started');
      if (startedAt > now + CLOCK_SKEW_MS) return refuse('future', 'starts in the future');
      if (at > now + CLOCK_SKEW_MS) return refuse('future', 'holds an event time in the future');
      if (endsAt <= startedAt) return refuse('span', 'ends before it starts');
      if (endsAt - startedAt > maxSpanMs) {
        return refuse('span', `spans more than the longest allowed stream (${maxSpanMs} ms)`);
      }
      return { ok: true, cursor };
    },
  };
}

/**
 * A fresh stream id: a v4 UUID's 122 random bits as 32 lowercase hex digits. randomUUID draws
 * from a buffered pool; randomBytes asks the kernel on every call, which a CPU profile of 10,000
 * opens showed as a visible share of each open.
 */
export function newStreamId(): string {
  return randomUUID().replaceAll('-', '');
}

function mac(key: KeyObject, body: string): Buffer {
  return createHmac('sha256', key).update(DOMAIN).update(body).digest().subarray(0, MAC_BYTES);
}

function refuse(problem: CursorProblem, message: string): DecodedCursor {
  return { ok: false, problem, message };
}

/**
 * The text before the MAC. Refuses (throws) a cursor outside the documented domains: such a cursor
 * would be issued, then refused as malformed when the client sends it back, so fail where the bug is.
 */
function bodyOf(c: StreamCursor): string {
  for (const field of ['streamId', 'epoch', 'scope'] as const) check(NAME[field].test(c[field]), field);
  const times = [base36(c.startedAt, 'startedAt'), base36(c.endsAt, 'endsAt'), base36(c.at, 'at')];
  const parts = ['v3', c.streamId, ...times, c.epoch, base36(c.seq, 'seq'), c.scope];
  if (c.shared) {
    const { epoch, marks } = c.shared;
    check(NAME.epoch.test(epoch), 'shared.epoch');
    check(marks.length <= MAX_MARKS, 'shared.marks');
    parts.push(epoch);
    if (marks.length > 0) parts.push(marks.map((mark) => (mark === undefined ? '' : base36(mark, 'shared.marks'))).join('-'));
  }
  return parts.join('.');
}

function base36(n: number, field: string): string {
  check(Number.isSafeInteger(n) && n >= 0, field);
  return n.toString(36);
}

function check(ok: boolean, field: string): void {
  if (!ok) throw new RangeError(`stream cursor: ${field} is outside its documented domain`);
}

/** The fields of a SHAPE match, or null when an integer is beyond the safe range. */
function cursorOf(m: RegExpExecArray): StreamCursor | null {
  const [, streamId, startedAt, endsAt, at, epoch, seq, scope, sharedEpoch, marks] = m;
  const ints = [startedAt, endsAt, at, seq].map((s) => parseInt(s as string, 36));
  const markList = marks === undefined ? [] : marks.split('-').map((s) => (s === '' ? undefined : parseInt(s, 36)));
  if (![...ints, ...markList].every((n) => n === undefined || Number.isSafeInteger(n))) return null;
  const cursor: StreamCursor = {
    streamId: streamId as string,
    startedAt: ints[0] as number,
    endsAt: ints[1] as number,
    at: ints[2] as number,
    epoch: epoch as string,
    seq: ints[3] as number,
    scope: scope as string,
  };
  if (sharedEpoch !== undefined) cursor.shared = { epoch: sharedEpoch, marks: markList };
  return cursor;
}

/** One epoch per process: sequence numbers from another process (or before a restart) are not comparable. */
export function processEpoch(): string {
  return processSingleton('epoch', () => randomBytes(6).toString('hex'));
}

/**
 * What a cursor is bound to: its stream's symbol set, order-free. A cursor of one watchlist is not
 * a position in another's articles.
 */
export function scopeOf(symbols: readonly string[]): string {
  return createHash('sha256').update([...symbols].sort().join(',')).digest('hex').slice(0, 12);
}
