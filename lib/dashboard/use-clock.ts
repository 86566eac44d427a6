'use client';

import { useSyncExternalStore } from 'react';

/**
 * One shared timer per tick size, however many components show a time: a list of 1,000 articles
 * must not run 1,000 intervals.
 */
const tickers = new Map<number, { timer: ReturnType<typeof setInterval>; listeners: Set<() => void> }>();

function subscribe(stepMs: number, listener: () => void): () => void {
  let ticker = tickers.get(stepMs);
  if (!ticker) {
    const listeners = new Set<() => void>();
    const timer = setInterval(() => listeners.forEach((l) => l()), stepMs);
    ticker = { timer, listeners };
    tickers.set(stepMs, ticker);
  }
  ticker.listeners.add(listener);
  return () => {
    const t = tickers.get(stepMs);
    if (!t) return;
    t.listeners.delete(listener);
    if (t.listeners.size === 0) {
      clearInterval(t.timer);
      tickers.delete(stepMs);
    }
  };
}

/** The current time, quantised to `stepMs` so subscribers re-render once per step at most. 0 on the server. */
export function useNow(stepMs: number): number {
  return useSyncExternalStore(
    (listener) => subscribe(stepMs, listener),
    () => Math.floor(Date.now() / stepMs) * stepMs,
    () => 0,
  );
}
