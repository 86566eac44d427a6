import { z } from 'zod';
import { SYMBOL_PATTERN } from '@/lib/contract/symbols';

export const RECENT_KEY = 'market-pulse.recent-symbols';
export const MAX_RECENT = 8;

/** Most recent first, no repeats, bounded. */
export function addRecent(list: readonly string[], symbol: string, max = MAX_RECENT): string[] {
  return [symbol, ...list.filter((s) => s !== symbol)].slice(0, max);
}

const stored = z.array(z.string().regex(SYMBOL_PATTERN));

/** localStorage is user-editable and may be unavailable (private mode): anything odd reads as empty. */
export function loadRecent(storage: Pick<Storage, 'getItem'> | undefined): string[] {
  try {
    const raw = storage?.getItem(RECENT_KEY);
    if (!raw) return [];
    const parsed = stored.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function saveRecent(storage: Pick<Storage, 'setItem'> | undefined, list: readonly string[]): void {
  try {
    storage?.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Quota or privacy mode: remembering symbols is a convenience, never worth an error.
  }
}
