'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { DEFAULT_SYMBOL } from '@/lib/contract/symbols';
import { browserStorage } from './browser-storage';
import { loadView, saveView, urlWithView, type WatchView } from './view-state';

/**
 * The watch view as an external store: the server renders what the link says (or the default); the
 * browser, when the link names no symbols, restores the list saved in localStorage. React switches
 * from one to the other right after hydration, without a setState in an effect.
 */
class WatchViewStore {
  private readonly listeners = new Set<() => void>();
  private view: WatchView | null = null;
  readonly serverView: WatchView;

  constructor(private readonly fromLink: { symbols: string[] | null; q: string }) {
    this.serverView = { symbols: fromLink.symbols ?? [DEFAULT_SYMBOL], q: fromLink.q };
  }

  getSnapshot = (): WatchView => {
    if (this.view === null) {
      const stored = this.fromLink.symbols === null ? loadView(browserStorage('localStorage')) : null;
      this.view = stored ? { symbols: stored.symbols, q: this.fromLink.q || stored.q } : this.serverView;
    }
    return this.view;
  };

  getServerSnapshot = (): WatchView => this.serverView;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(view: WatchView): void {
    this.view = view;
    this.listeners.forEach((l) => l());
  }
}

const noSubscription = () => () => {};

/** False while hydrating, true after: until then the saved list may not be known yet. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * The watchlist and filter: from the link, else from this browser's last visit, else TSLA. Every
 * change is written to the address bar (history.replaceState: shareable, no history entries) and
 * to localStorage. `ready` is false until the list is final, so nothing is fetched for a list that
 * is about to be replaced.
 */
export function useWatchView(fromLink: { symbols: string[] | null; q: string }) {
  const [store] = useState(() => new WatchViewStore(fromLink));
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
  const ready = useHydrated() || fromLink.symbols !== null;

  useEffect(() => {
    // Before hydration ends the view may still be the placeholder that the saved one replaces.
    if (!ready) return;
    saveView(browserStorage('localStorage'), view);
    const href = urlWithView(window.location.href, view);
    if (href !== window.location.href) window.history.replaceState(window.history.state, '', href);
  }, [view, ready]);

  return { view, ready, setView: (next: WatchView) => store.set(next) };
}
