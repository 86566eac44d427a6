import { z } from 'zod';
import { articleSchema } from '@/lib/contract/article';
import { MAX_SYMBOLS, SYMBOL_PATTERN } from '@/lib/contract/symbols';
import type { Arrival } from './articles';

/**
 * Where a live session was when its page went away (a reload, a navigation and back): enough for the
 * page that loads next to continue it after its cursor, as a reconnect would, instead of the user
 * finding it stopped. Kept in sessionStorage, so it stays with the tab and dies with it.
 */
export interface ResumePoint {
  symbols: string[];
  /** The latest event id: the continuation starts after it (null: start a fresh stream). */
  cursor: string | null;
  /** The stream's URL, which a resume of a fixed-length stream repeats with Last-Event-ID. */
  url: string | null;
  openEnded: boolean;
  /** End of the stream, on this browser's clock. */
  endsAt: number | null;
  liveSince: number | null;
  /** When Start was pressed: arrivals since count as new. */
  startedAt: number | null;
  /** What arrived this session, newest first (at most MAX_KEPT_ARRIVALS): their marks and counts go on. */
  arrivals: Arrival[];
  /** The stream had not sent its first news yet: that event is the latest articles, not arrivals. */
  backlogDue: boolean;
  savedAt: number;
}

/** Enough for a page's counts and New marks; bounds what one pagehide writes (a few hundred KB at most). */
export const MAX_KEPT_ARRIVALS = 200;

export const RESUME_KEY = 'market-pulse.live';

/** A point older than this is not a reload but a tab restored later: start again by hand. */
export const RESUME_MAX_AGE_MS = 120_000;

/**
 * How far a kept time may lie from now. The page formats them ("Live since 14:05"): a time no
 * Date can hold threw while rendering, and the page saved it again on its way out, every reload.
 */
const TIME_WINDOW_MS = 30 * 86_400_000;

/** sessionStorage is user-editable: every field is checked, and a URL other than the stream's is refused. */
const storedPoint = z.object({
  symbols: z.array(z.string().regex(SYMBOL_PATTERN)).min(1).max(MAX_SYMBOLS),
  // Sent back as Last-Event-ID: a value a header cannot carry made every reconnect fail before it left.
  cursor: z.string().regex(/^[A-Za-z0-9._~-]{1,512}$/).nullable(),
  url: z.string().max(8192).startsWith('/api/mcp/stream-news?').nullable(),
  openEnded: z.boolean(),
  endsAt: z.number().finite().nullable(),
  liveSince: z.number().finite().nullable(),
  startedAt: z.number().finite().nullable(),
  // Checked one by one below: one article that no longer passes the schema drops only itself.
  arrivals: z.array(z.unknown()).max(MAX_KEPT_ARRIVALS),
  backlogDue: z.boolean(),
  savedAt: z.number().finite(),
});

/** Reads the point and removes it (it continues one page load only); anything odd or stale reads as none. */
export function takeResumePoint(storage: Pick<Storage, 'getItem' | 'removeItem'> | undefined, now: number): ResumePoint | null {
  try {
    const raw = storage?.getItem(RESUME_KEY);
    if (!raw) return null;
    storage?.removeItem(RESUME_KEY);
    const parsed = storedPoint.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const { savedAt, liveSince, startedAt, endsAt, arrivals } = parsed.data;
    const age = now - savedAt;
    if (age < 0 || age > RESUME_MAX_AGE_MS) return null;
    const near = (t: number | null) => t === null || Math.abs(t - now) <= TIME_WINDOW_MS;
    if (![liveSince, startedAt, endsAt].every(near)) return null;
    return { ...parsed.data, arrivals: arrivals.flatMap((a) => validArrival(a) ?? []).filter((a) => near(a.arrivedAt)) };
  } catch {
    return null;
  }
}

const storedArrival = articleSchema.extend({ arrivedAt: z.number().finite() });

function validArrival(item: unknown): Arrival | null {
  const parsed = storedArrival.safeParse(item);
  return parsed.success ? parsed.data : null;
}

/** Stores the point, or removes an old one when the session is not live. */
export function saveResumePoint(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, point: ResumePoint | null): void {
  try {
    if (point) storage?.setItem(RESUME_KEY, JSON.stringify(point));
    else storage?.removeItem(RESUME_KEY);
  } catch {
    // Quota or privacy mode: continuing after a reload is a convenience, never worth an error.
  }
}
