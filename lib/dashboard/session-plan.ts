import { z } from 'zod';
import { LIMITS } from '@/lib/contract/limits';

/*
 * The live session's decisions, as pure functions of what the page knows: which request comes
 * next, how long to wait before it, and whether a silent connection is dead. The controller
 * (live-session.ts) only carries them out.
 */

/** Longest random delay before the next stream at a seam: a thousand pages opened together drift apart. */
export const SEAM_JITTER_MS = 500;
/** Each open-ended window is up to this much (or 5%) shorter than the server's maximum, at random. */
export const WINDOW_SHAVE_MS = 5_000;
/** Silence beyond the longest healthy gap (interval or heartbeat) before a connection counts as dead. */
export const DEADLINE_MARGIN_MS = 5_000;
/** The 1 s ticker arriving this late means the timers were frozen: the machine slept. */
export const JUMP_MS = 4_000;
export const TICK_MS = 1_000;
/** A resume this close to the stream's end could race it; a `since` stream is the safer continuation. */
export const END_MARGIN_MS = 1_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 10_000;

/** The next stream request of a session. */
export type NextRequest =
  | { kind: 'fresh' } // no cursor that fits: the first event brings the latest articles
  | { kind: 'since'; since: string } // a new stream continuing after the cursor (contract §6.2)
  | { kind: 'resume'; lastEventId: string }; // the same stream, same URL, with Last-Event-ID

/** Length of the next open-ended window: the server's maximum, shaved by a random few seconds. */
export function windowDuration(maxDuration: number, random: number): number {
  const shave = Math.min(WINDOW_SHAVE_MS, maxDuration * 0.05) * random;
  return Math.max(LIMITS.duration.min, Math.floor(maxDuration - shave));
}

export function seamDelay(random: number): number {
  return Math.floor(SEAM_JITTER_MS * random);
}

/** Wait before the attempt after `failures` consecutive failures: 0.5–1 s, 1–2 s, 2–4 s … at most 10 s. */
export function backoffDelay(failures: number, random: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures));
  return Math.floor(ceiling * (0.5 + random / 2));
}

/** A server's Retry-After, spread by up to a second so refused pages do not return together. */
export function retryAfterDelay(seconds: number, random: number): number {
  return Math.max(0, seconds) * 1000 + Math.floor(1000 * random);
}

/** A healthy stream is never silent longer than its interval or the heartbeat, whichever is longer. */
export function heartbeatDeadline(interval: number, heartbeat: number): number {
  return Math.max(interval, heartbeat) + DEADLINE_MARGIN_MS;
}

/**
 * After the connection was lost: continue the same stream while it still runs, else start the next
 * one after the last cursor. A fixed-length stream is always resumed: the server answers 204 when
 * it ended meanwhile, and the page reports that. Without a cursor there is nothing to continue.
 */
export function reconnectRequest(p: { cursor: string | null; endsAt: number | null; now: number; openEnded: boolean }): NextRequest {
  if (p.cursor === null) return { kind: 'fresh' };
  if (!p.openEnded) return { kind: 'resume', lastEventId: p.cursor };
  if (p.endsAt !== null && p.now < p.endsAt - END_MARGIN_MS) return { kind: 'resume', lastEventId: p.cursor };
  return { kind: 'since', since: p.cursor };
}

export type Absence = 'ok' | 'sleep' | 'silent';

/**
 * Run on every tick while a connection is open. A tick that arrives much later than scheduled,
 * with no bytes received during the gap, means the machine slept: the socket may be dead without
 * any error. (A throttled background tab also ticks late, but its live stream keeps delivering
 * bytes, so it is not mistaken for sleep.) Bytes missing for longer than the deadline mean the
 * connection died silently, asleep or not.
 */
export function absenceCheck(p: { now: number; lastTickAt: number; lastByteAt: number; deadline: number }): Absence {
  const gap = p.now - p.lastTickAt;
  const silent = p.now - p.lastByteAt;
  if (gap > JUMP_MS && silent >= gap - TICK_MS) return 'sleep';
  if (silent > p.deadline) return 'silent';
  return 'ok';
}

const errorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    data: z
      .object({ reason: z.string().optional(), fields: z.record(z.string(), z.unknown()).optional() })
      .optional(),
  }),
});

export type RefusalKind =
  | 'ended' // 204: a resumed stream had already ended
  | 'since-too-old' // the cursor is older than the server's history: show the latest snapshot
  | 'cursor-refused' // the cursor does not fit (another symbol set, another secret after a restart): start fresh
  | 'retry' // busy or failing for now: wait and try again
  | 'fatal'; // the request itself is wrong or not allowed: retrying cannot help

export function classifyRefusal(status: number, body: unknown): RefusalKind {
  if (status === 204) return 'ended';
  if (status === 400) {
    const parsed = errorBody.safeParse(body);
    const data = parsed.success ? parsed.data.error.data : undefined;
    if (data?.reason === 'since-too-old') return 'since-too-old';
    const fields = data?.fields ?? {};
    if (['since', 'Last-Event-ID', 'lastEventId'].some((f) => Object.hasOwn(fields, f))) return 'cursor-refused';
    return 'fatal';
  }
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'fatal';
}
