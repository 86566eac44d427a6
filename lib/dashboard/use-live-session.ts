'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { LiveSession, type SessionDeps, type SessionSettings } from './live-session';
import type { SessionState } from './session-state';

const browserDeps: SessionDeps = {
  fetch: (...args) => fetch(...args),
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  setInterval: (fn, ms) => window.setInterval(fn, ms),
  clearInterval: (handle) => window.clearInterval(handle as number),
  isOnline: () => navigator.onLine,
};

/**
 * The page's live session (lib/dashboard/live-session.ts), fed the browser's signals of absence:
 * `offline`/`online`, and `visibilitychange` for a tab brought back to the front. Settings changes
 * (watchlist, filter) are passed on; while live a new watchlist switches the stream (a filter needs no new one).
 */
export function useLiveSession(settings: SessionSettings): { session: LiveSession; state: SessionState } {
  const [session] = useState(() => new LiveSession(settings, browserDeps));
  const state = useSyncExternalStore(session.subscribe, session.getState, session.getState);

  useEffect(() => session.update(settings), [session, settings]);

  useEffect(() => {
    const onOnline = () => session.online();
    const onOffline = () => session.offline();
    const onVisibility = () => session.visibility(document.visibilityState === 'hidden');
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    document.addEventListener('visibilitychange', onVisibility);
    if (document.visibilityState === 'hidden') session.visibility(true);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      document.removeEventListener('visibilitychange', onVisibility);
      session.dispose();
    };
  }, [session]);

  return { session, state };
}
