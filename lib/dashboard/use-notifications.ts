'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ListedArticle } from './articles';
import type { LiveSession } from './live-session';
import {
  forgetHeld,
  initialNotifyState,
  notifyRefusal,
  planNotifications,
  type NotifyArticle,
  type NotifyPlan,
  type NotifySupport,
} from './notifications';
import { isActive } from './session-state';

const PREF_KEY = 'market-pulse.notify';
const prefListeners = new Set<() => void>();

function support(): NotifySupport {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

function storedPreference(): boolean {
  try {
    return window.localStorage.getItem(PREF_KEY) === 'on';
  } catch {
    return false;
  }
}

/** This visit's choice; storage keeps it for the next visit where it can. */
let memoryPreference: boolean | null = null;

function savePreference(on: boolean): void {
  memoryPreference = on;
  try {
    if (on) window.localStorage.setItem(PREF_KEY, 'on');
    else window.localStorage.removeItem(PREF_KEY);
  } catch {
    // Private mode: the toggle still works for this visit.
  }
  prefListeners.forEach((l) => l());
}

/** On when the user turned it on (remembered in this browser) and the browser still allows it. */
const enabledSnapshot = () => (memoryPreference ?? storedPreference()) && support() === 'granted';

function subscribePreference(listener: () => void): () => void {
  prefListeners.add(listener);
  return () => prefListeners.delete(listener);
}

function showNotification(title: string, body: string): void {
  try {
    const n = new Notification(title, { body });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some platforms allow notifications only from a service worker; the page itself stays correct.
  }
}

/**
 * "Notify me": while on and the page is hidden, each stream event's new articles (those the page
 * would show) become a notification, throttled and grouped by lib/dashboard/notifications.ts.
 * Permission is requested only when the user turns the toggle on.
 */
export function useNotifications(session: LiveSession, describe: (article: ListedArticle) => NotifyArticle | null) {
  const enabled = useSyncExternalStore(subscribePreference, enabledSnapshot, () => false);
  const [note, setNote] = useState<string | null>(null);
  const describeRef = useRef(describe);
  useEffect(() => {
    describeRef.current = describe;
  });

  useEffect(() => {
    if (!enabled) return;
    let state = initialNotifyState;
    let timer: number | undefined;
    const cancelTimer = () => {
      window.clearTimeout(timer);
      timer = undefined;
    };
    const carryOut = (plan: NotifyPlan) => {
      state = plan.state;
      if (plan.show) showNotification(plan.show.title, plan.show.body);
      if (plan.retryAt !== null && timer === undefined) timer = window.setTimeout(flush, Math.max(0, plan.retryAt - Date.now()));
    };
    const flush = () => {
      timer = undefined;
      if (document.visibilityState === 'hidden' && isActive(session.getState().phase)) carryOut(planNotifications(state, [], Date.now()));
      else state = forgetHeld(state);
    };
    const offArrivals = session.onArrivals((added) => {
      if (document.visibilityState !== 'hidden') return;
      const items = added.map((a) => describeRef.current(a)).filter((a): a is NotifyArticle => a !== null);
      if (items.length > 0) carryOut(planNotifications(state, items, Date.now()));
    });
    // Back on the page, or the session ended: held articles are no longer worth a notification.
    const settle = () => {
      if (document.visibilityState === 'hidden' && isActive(session.getState().phase)) return;
      state = forgetHeld(state);
      cancelTimer();
    };
    const offSession = session.subscribe(settle);
    document.addEventListener('visibilitychange', settle);
    return () => {
      offArrivals();
      offSession();
      document.removeEventListener('visibilitychange', settle);
      cancelTimer();
    };
  }, [enabled, session]);

  const toggle = async (on: boolean) => {
    setNote(null);
    if (!on) return savePreference(false);
    const refusal = notifyRefusal(support());
    if (refusal) return setNote(refusal);
    const permission = support() === 'granted' ? 'granted' : await Notification.requestPermission();
    if (permission !== 'granted') {
      return setNote(notifyRefusal(permission) ?? 'Notifications were not allowed, so none will be shown. Turn this on again to be asked again.');
    }
    savePreference(true);
    setNote('New articles will be notified while this page is hidden, at most 3 a minute.');
  };

  return { enabled, note, toggle };
}
