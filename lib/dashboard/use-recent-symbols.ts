'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { addRecent, loadRecent, RECENT_KEY, saveRecent } from './recent-symbols';

const listeners = new Set<() => void>();
const EMPTY: string[] = [];
let cache: { raw: string | null; list: string[] } = { raw: null, list: EMPTY };

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function snapshot(): string[] {
  let raw: string | null = null;
  try {
    raw = storage()?.getItem(RECENT_KEY) ?? null;
  } catch {
    raw = null;
  }
  // useSyncExternalStore needs a stable value while storage is unchanged.
  if (raw !== cache.raw) cache = { raw, list: loadRecent(storage()) };
  return cache.list;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the dashboard remembering a symbol updates this one too.
  const onStorage = (e: StorageEvent) => {
    if (e.key === RECENT_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Recently used symbols, remembered in localStorage across reloads. */
export function useRecentSymbols(): [string[], (symbol: string) => void] {
  const list = useSyncExternalStore(subscribe, snapshot, () => EMPTY);
  const remember = useCallback((symbol: string) => {
    saveRecent(storage(), addRecent(snapshot(), symbol));
    listeners.forEach((l) => l());
  }, []);
  return [list, remember];
}
