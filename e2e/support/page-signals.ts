import type { BrowserContext, Page } from '@playwright/test';

/*
 * Browser signals the dashboard reacts to, made deterministic for tests.
 *
 * Hidden page: headless Chromium keeps every page "visible" whatever is in front, so bringing
 * another page to the front does not reliably hide this one. The tests instead override
 * `document.visibilityState` on the page and dispatch `visibilitychange`, exactly the two things
 * the page reads (lib/dashboard/use-live-session.ts, use-notifications.ts).
 */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

export interface RecordedNotification {
  title: string;
  body: string | undefined;
}

/**
 * Records every `new Notification(title, options)` in `window.__notifications`, then calls the real
 * constructor (a subclass, so `permission` and `requestPermission` stay the browser's own).
 */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Real = window.Notification;
    if (!Real) return;
    const calls: Array<{ title: string; body: string | undefined }> = [];
    (window as unknown as { __notifications: typeof calls }).__notifications = calls;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        calls.push({ title, body: options?.body });
        super(title, options);
      }
    }
    window.Notification = Recording;
  });
}

export function notificationsShown(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate(() => (window as unknown as { __notifications?: RecordedNotification[] }).__notifications ?? []);
}
