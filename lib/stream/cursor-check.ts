import { settings } from '@/lib/config/settings';
import { scopeOf, type StreamCursor } from './cursor';
import { cursorCodec } from './cursor-keys';
import type { StartAfter } from './delivery';

export type CursorCheck = { ok: true; cursor: StreamCursor } | { ok: false; field: string; message: string };

/**
 * A cursor a client sent back, verified (signature, times, span) and bound to the symbols the
 * request names. `field` is what the client called it (Last-Event-ID, lastEventId or since), so
 * the 400 says which input was wrong.
 */
export async function checkCursor(raw: string, field: string, symbols: readonly string[]): Promise<CursorCheck> {
  const decoded = (await cursorCodec()).decode(raw.trim(), { now: Date.now(), maxSpanMs: settings().streamMaxDurationMs });
  if (!decoded.ok) return { ok: false, field, message: `${field} ${decoded.message}` };
  if (decoded.cursor.scope !== scopeOf(symbols)) return { ok: false, field, message: `${field} belongs to a stream of other symbols` };
  return { ok: true, cursor: decoded.cursor };
}

/**
 * `since` as a stream or snapshot starts after it: a verified cursor of these symbols, or (for the
 * MCP tools, contract §3) an ISO time.
 */
export async function readSince(
  since: string | undefined,
  symbols: readonly string[],
  { allowTime = false } = {},
): Promise<{ ok: true; after?: StartAfter } | { ok: false; field: string; message: string }> {
  if (since === undefined) return { ok: true };
  if (allowTime && !since.startsWith('v3.')) return { ok: true, after: { time: Date.parse(since) } };
  const check = await checkCursor(since, 'since', symbols);
  return check.ok ? { ok: true, after: { cursor: check.cursor } } : check;
}
