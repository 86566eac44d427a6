'use client';

import { useEffect } from 'react';
import { browserStorage } from './browser-storage';
import type { LiveSession } from './live-session';
import { saveResumePoint, takeResumePoint } from './resume-point';

/**
 * A reload (or a navigation away and back) while live continues the session instead of leaving it
 * stopped: `pagehide` (or leaving the dashboard within the app) records where it was, and the next
 * load continues after its cursor once the watchlist is final (`ready`). A page restored from the
 * back/forward cache still has its session, so the point is dropped there.
 */
export function useContinueAfterReload(session: LiveSession, ready: boolean): void {
  useEffect(() => {
    if (!ready) return;
    const point = takeResumePoint(browserStorage('sessionStorage'), Date.now());
    if (point) session.continueFrom(point);
    const onPageHide = () => saveResumePoint(browserStorage('sessionStorage'), session.resumePoint());
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) saveResumePoint(browserStorage('sessionStorage'), null);
    };
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      onPageHide();
    };
  }, [session, ready]);
}
