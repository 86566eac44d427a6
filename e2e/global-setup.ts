import { ensureBuilt, startApp } from '../tests/support/app-server';
import { startFeedServer } from '../tests/support/feed-server';
import { startFeedControl } from './support/feed-control';
import { APP_ENV, feedList, seedFeeds } from './support/fixtures-data';

/**
 * Builds the production app if needed (NEXT_DIST_DIR honoured, FORCE_BUILD=1 rebuilds), then starts
 * a local feed server and `next start` pointed at it. Tests reach both through environment variables,
 * which Playwright passes on to its workers.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await ensureBuilt();
  const feeds = await startFeedServer();
  seedFeeds(feeds);
  const control = await startFeedControl(feeds);
  const app = await startApp({ ...APP_ENV, NEWS_FEEDS: feedList(feeds.url) });
  process.env.E2E_APP_URL = app.url;
  process.env.E2E_FEED_URL = feeds.url;
  process.env.E2E_FEED_CONTROL_URL = control.url;
  return async () => {
    await app.stop();
    await control.close();
    await feeds.close();
  };
}
