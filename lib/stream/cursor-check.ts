import { settings } from '@/lib/config/settings';
import type { StreamCursor } from './cursor';
import { cursorCodec } from './cursor-keys';

export type CursorCheck = { ok: true; cursor: StreamCursor } | { ok: false; field: string; message: string };

/**
 * A cursor a client sent back, verified (signature, times, span) and bound to the symbols the
 * request names. `field` is what the client called it (Last-Event-ID, lastEventId or since), so
 * the 400 says which input was wrong.
 */
export async function checkCursor(raw: string, field: string, scope: string): Promise<CursorCheck> {
  const decoded = (await cursorCodec()).decode(raw.trim(), { now: Date.now(), maxSpanMs: settings().streamMaxDurationMs });
  if (!decoded.ok) return { ok: false, field, message: `${field} ${decoded.message}` };
  if (decoded.cursor.scope !== scope) return { ok: false, field, message: `${field} belongs to a stream of other symbols` };
  return { ok: true, cursor: decoded.cursor };
}
