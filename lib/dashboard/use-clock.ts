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

// One subscribe function per step: a new function on every render would make React unsubscribe
// and resubscribe each of a thousand rows whenever they re-render.
const subscribers = new Map<number, (listener: () => void) => () => void>();
function subscriberFor(stepMs: number) {
  let fn = subscribers.get(stepMs);
  if (!fn) {
    fn = (listener) => subscribe(stepMs, listener);
    subscribers.set(stepMs, fn);
  }
  return fn;
}

/** The current time, quantised to `stepMs` so subscribers re-render once per step at most. 0 on the server. */
export function useNow(stepMs: number): number {
  return useSyncExternalStore(
    subscriberFor(stepMs),
    () => Math.floor(Date.now() / stepMs) * stepMs,
    () => 0,
  );
}
