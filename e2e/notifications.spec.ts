import type { BrowserContext, Page } from '@playwright/test';
import type { FeedItem } from '../tests/support/feed-server';
import { feedControl } from './support/feed-control';
import { item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import { notificationsShown, recordNotifications, setPageHidden } from './support/page-signals';
import { dashboardPath, expect, newsList, startButton, status, stopButton, test } from './support/test';

/*
 * "Notify me" (contract §6.6). One symbol and a fixed-length stream, so these run against any
 * server version. The page is hidden by overriding document.visibilityState and dispatching
 * visibilitychange (see e2e/support/page-signals.ts for why not by fronting another page).
 */

const notifySwitch = (page: Page) => page.getByRole('switch', { name: 'Notify me' });

/** Permission granted, notifications recorded, Notify me on, and a fixed-length stream live. */
async function liveWithNotifyMe(page: Page, context: BrowserContext, symbol: string, items: FeedItem[]): Promise<void> {
  await context.grantPermissions(['notifications']);
  await recordNotifications(context);
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, items));
  await page.goto(dashboardPath(symbol, 60_000));
  await notifySwitch(page).click();
  await expect(notifySwitch(page)).toBeChecked();
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
}

test('with permission granted, an article arriving while the page is hidden is notified; none while visible', async ({ page, context }) => {
  const symbol = 'NOTA';
  const first = [item('nota-1', 'NOTA steady', minutesAgo(30))];
  await liveWithNotifyMe(page, context, symbol, first);
  await expect(page.getByTestId('notify-note')).toContainText('while this page is hidden');
  await expect(newsList(page).getByRole('link', { name: /NOTA steady/ })).toBeVisible();

  // Visible: a new article shows on the page, no notification.
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('nota-2', 'NOTA opens plant', new Date()), ...first]));
  await expect(newsList(page).getByRole('link', { name: /NOTA opens plant/ })).toHaveCount(1);
  expect(await notificationsShown(page)).toEqual([]);

  await setPageHidden(page, true);
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('nota-3', 'NOTA wins contract', new Date()), item('nota-2', 'NOTA opens plant', new Date()), ...first]));
  await expect.poll(() => notificationsShown(page)).toEqual([{ title: 'NOTA wins contract', body: expect.stringContaining('NOTA') }]);

  await setPageHidden(page, false);
  await stopButton(page).click();
  // The choice is remembered in this browser.
  await page.reload();
  await expect(notifySwitch(page)).toBeChecked();
});

test('many arrivals while hidden: at most three notifications a minute, a burst grouped into one', async ({ page, context }) => {
  const symbol = 'NOTB';
  const published = [item('notb-0', 'NOTB steady', minutesAgo(30))];
  await liveWithNotifyMe(page, context, symbol, published);
  await setPageHidden(page, true);

  // A burst of three in one update: one grouped notification.
  published.unshift(item('notb-1', 'NOTB one', new Date()), item('notb-2', 'NOTB two', new Date()), item('notb-3', 'NOTB three', new Date()));
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, published));
  await expect.poll(() => notificationsShown(page)).toHaveLength(1);
  expect((await notificationsShown(page))[0]).toEqual({ title: '3 new articles: NOTB', body: expect.stringContaining('NOTB') });

  // Four more updates, one article each, well within the minute: two more notifications, then held.
  for (let i = 4; i <= 7; i += 1) {
    published.unshift(item(`notb-${i}`, `NOTB story ${i}`, new Date()));
    await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, published));
    await expect(page.locator(`li[data-article-id="notb-${i}"]`)).toHaveCount(1);
  }
  await page.waitForTimeout(1_500);
  expect(await notificationsShown(page)).toHaveLength(3);
  await setPageHidden(page, false);
  await stopButton(page).click();
});

test('explains when notifications are blocked or unsupported, and asks only when turned on', async ({ browser }) => {
  const symbol = 'NOTC';
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item('notc-1', 'NOTC steady', minutesAgo(30))]));

  const blocked = await browser.newContext({ baseURL: process.env.E2E_APP_URL });
  await blocked.addInitScript(() => {
    let asked = 0;
    Object.defineProperty(Notification, 'permission', { configurable: true, get: () => 'denied' });
    Notification.requestPermission = async () => {
      asked += 1;
      return 'denied';
    };
    (window as unknown as { asked: () => number }).asked = () => asked;
  });
  const page = await blocked.newPage();
  await page.goto(dashboardPath(symbol));
  await expect(notifySwitch(page)).not.toBeChecked();
  expect(await page.evaluate(() => (window as unknown as { asked: () => number }).asked())).toBe(0);
  await notifySwitch(page).click();
  await expect(notifySwitch(page)).not.toBeChecked();
  await expect(page.getByTestId('notify-note')).toContainText('Notifications are blocked for this site');
  await blocked.close();

  const bare = await browser.newContext({ baseURL: process.env.E2E_APP_URL });
  await bare.addInitScript(() => {
    delete (window as unknown as { Notification?: unknown }).Notification;
  });
  const other = await bare.newPage();
  await other.goto(dashboardPath(symbol));
  await notifySwitch(other).click();
  await expect(notifySwitch(other)).not.toBeChecked();
  await expect(other.getByTestId('notify-note')).toHaveText('This browser cannot show notifications.');
  await bare.close();
});
