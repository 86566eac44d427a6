import { describe, expect, it } from 'vitest';
import {
  describeArrivals,
  forgetHeld,
  initialNotifyState,
  notifyRefusal,
  NOTIFY_WINDOW_MS,
  planNotifications,
  type NotifyArticle,
  type NotifyState,
} from '@/lib/dashboard/notifications';

const a = (title: string, symbols: string[] = ['TSLA']): NotifyArticle => ({ title, source: 'Wire', symbols });

describe('notification text', () => {
  it('names the article for one, groups many with their tickers', () => {
    expect(describeArrivals([a('Tesla beats')])).toEqual({ title: 'Tesla beats', body: 'TSLA · Wire' });
    expect(describeArrivals([a('Oil slips', [])])).toEqual({ title: 'Oil slips', body: 'Market-wide · Wire' });
    const many = [a('One'), a('Two', ['AAPL', 'TSLA']), a('Three', []), a('Four', ['NVDA']), a('Five')];
    expect(describeArrivals(many)).toEqual({ title: '5 new articles: TSLA, AAPL, NVDA', body: 'One\nTwo\nThree\n…and 2 more' });
    expect(describeArrivals([a('x', [])], 2).title).toBe('2 new articles: Market-wide');
    const tickers = ['A', 'B', 'C', 'D', 'E', 'F'].map((s) => a(s, [s]));
    expect(describeArrivals(tickers).title).toBe('6 new articles: A, B, C, D, E, …');
  });
});

describe('throttling', () => {
  it('shows at most three a minute, holds the rest and shows them grouped when the budget frees', () => {
    let state: NotifyState = initialNotifyState;
    const shown: string[] = [];
    const step = (incoming: NotifyArticle[], now: number) => {
      const plan = planNotifications(state, incoming, now);
      state = plan.state;
      if (plan.show) shown.push(plan.show.title);
      return plan;
    };
    step([a('A')], 0);
    step([a('B'), a('C')], 1_000);
    step([a('D')], 2_000);
    const held = step([a('E')], 3_000);
    expect(held).toMatchObject({ show: null, retryAt: NOTIFY_WINDOW_MS });
    step([a('F'), a('G')], 4_000);
    expect(shown).toEqual(['A', '2 new articles: TSLA', 'D']);
    expect(state.heldCount).toBe(3);
    const flushed = step([], NOTIFY_WINDOW_MS);
    expect(flushed.show).toEqual({ title: '3 new articles: TSLA', body: 'E\nF\nG' });
    expect(state.heldCount).toBe(0);
    // Nothing held, nothing to do.
    expect(step([], NOTIFY_WINDOW_MS + 1)).toMatchObject({ show: null, retryAt: null });
  });

  it('keeps counting past the sample it holds', () => {
    let state: NotifyState = { sentAt: [0, 1, 2], held: [], heldCount: 0 };
    state = planNotifications(state, Array.from({ length: 50 }, (_, i) => a(`N${i}`)), 10).state;
    expect(state.held).toHaveLength(20);
    expect(planNotifications(state, [], NOTIFY_WINDOW_MS).show?.title).toBe('50 new articles: TSLA');
  });

  it('forgets what was held when the user is back', () => {
    const state: NotifyState = { sentAt: [1], held: [a('x')], heldCount: 1 };
    expect(forgetHeld(state)).toEqual({ sentAt: [1], held: [], heldCount: 0 });
    expect(forgetHeld(initialNotifyState)).toBe(initialNotifyState);
  });

  it('explains why notifications cannot be turned on', () => {
    expect(notifyRefusal('unsupported')).toMatch(/cannot show notifications/);
    expect(notifyRefusal('denied')).toMatch(/blocked/);
    expect(notifyRefusal('granted')).toBeNull();
    expect(notifyRefusal('default')).toBeNull();
  });
});
