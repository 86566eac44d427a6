/*
 * "Notify me": browser notifications for articles that arrive while the page is hidden, at most a
 * few a minute. Each stream event makes at most one notification (a burst is grouped into one);
 * past the budget, arrivals are held and later shown as one grouped notification when the budget
 * frees up, so a busy news hour never floods the desktop.
 */

export const NOTIFY_MAX_PER_WINDOW = 3;
export const NOTIFY_WINDOW_MS = 60_000;
/** Held articles kept for the grouped text; the count keeps going beyond. */
const SAMPLE = 20;
const TITLES_IN_BODY = 3;
const TICKERS_IN_TITLE = 5;

export interface NotifyArticle {
  title: string;
  source: string;
  /** The watched tickers it concerns; empty for market-wide news. */
  symbols: readonly string[];
}

export interface NotificationText {
  title: string;
  body: string;
}

export interface NotifyState {
  /** When the notifications of the current window were shown. */
  sentAt: number[];
  /** Articles waiting for budget (a sample) and how many there are in all. */
  held: NotifyArticle[];
  heldCount: number;
}

export const initialNotifyState: NotifyState = { sentAt: [], held: [], heldCount: 0 };

function tickersOf(articles: readonly NotifyArticle[]): string[] {
  const seen: string[] = [];
  for (const a of articles) for (const s of a.symbols) if (!seen.includes(s)) seen.push(s);
  return seen;
}

/** "TSLA beats estimates" / "TSLA · Reuters"; grouped: "5 new articles: TSLA, AAPL" with the first titles. */
export function describeArrivals(articles: readonly NotifyArticle[], count = articles.length): NotificationText {
  const [first] = articles;
  if (count === 1 && first) {
    return { title: first.title, body: `${first.symbols.length ? first.symbols.join(', ') : 'Market-wide'} · ${first.source}` };
  }
  const tickers = tickersOf(articles);
  const named = tickers.length === 0 ? 'Market-wide' : tickers.slice(0, TICKERS_IN_TITLE).join(', ') + (tickers.length > TICKERS_IN_TITLE ? ', …' : '');
  const titles = articles.slice(0, TITLES_IN_BODY).map((a) => a.title);
  const more = count - titles.length;
  return { title: `${count} new articles: ${named}`, body: [...titles, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n') };
}

export interface NotifyPlan {
  state: NotifyState;
  /** The notification to show now, if any. */
  show: NotificationText | null;
  /** When held articles can be shown (call again then with no new arrivals). */
  retryAt: number | null;
}

export function planNotifications(state: NotifyState, incoming: readonly NotifyArticle[], now: number, max = NOTIFY_MAX_PER_WINDOW): NotifyPlan {
  const sentAt = state.sentAt.filter((t) => now - t < NOTIFY_WINDOW_MS);
  const held = [...state.held, ...incoming].slice(0, SAMPLE);
  const heldCount = state.heldCount + incoming.length;
  if (heldCount === 0) return { state: { sentAt, held: [], heldCount: 0 }, show: null, retryAt: null };
  if (sentAt.length >= max) return { state: { sentAt, held, heldCount }, show: null, retryAt: sentAt[0]! + NOTIFY_WINDOW_MS };
  return { state: { sentAt: [...sentAt, now], held: [], heldCount: 0 }, show: describeArrivals(held, heldCount), retryAt: null };
}

/** The user is back: what was held is on screen now, so it is never notified. */
export function forgetHeld(state: NotifyState): NotifyState {
  return state.heldCount === 0 ? state : { ...state, held: [], heldCount: 0 };
}

export type NotifySupport = 'unsupported' | 'denied' | 'default' | 'granted';

/** What to tell the user when notifications cannot be turned on. */
export function notifyRefusal(support: NotifySupport): string | null {
  switch (support) {
    case 'unsupported':
      return 'This browser cannot show notifications.';
    case 'denied':
      return 'Notifications are blocked for this site. Allow them in the browser’s site settings, then turn this on again.';
    default:
      return null;
  }
}
