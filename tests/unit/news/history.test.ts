import { describe, expect, it } from 'vitest';
import { HISTORY_EXTRA, HISTORY_WINDOW_MS, retain, UNCAPPED_WINDOW, type HistoryKeys } from '@/lib/news/poll/history';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const MIN = 60_000;
/** An item published `published` minutes ago and first seen `seen` minutes ago. */
const item = (id: string, published: number, seen = published): HistoryKeys => ({ id, sortTime: NOW - published * MIN, firstSeen: NOW - seen * MIN });
const keys = (x: HistoryKeys) => x;
const ids = (xs: HistoryKeys[]) => xs.map((x) => x.id);

describe('feed history (what `since` can catch up from)', () => {
  it('keeps articles that left the feed, newest first after the window, and drops them after 24 hours', () => {
    const first = retain([], [item('a', 30), item('b', 60)], { lastFetchAt: 0 }, keys, NOW);
    expect(first.coveredSince).toBe(NOW - HISTORY_WINDOW_MS); // a short window is all the feed has
    const second = retain(first.items, [item('c', 1), item('a', 30)], { coveredSince: first.coveredSince, lastFetchAt: NOW - 5 * MIN }, keys, NOW);
    expect(ids(second.items)).toEqual(['c', 'a', 'b']);
    expect(second.coveredSince).toBe(first.coveredSince);
    const stale = retain([item('old', 25 * 60)], [item('c', 1)], { coveredSince: first.coveredSince, lastFetchAt: NOW - MIN }, keys, NOW);
    expect(ids(stale.items)).toEqual(['c']);
  });

  it('a full window shows everything published after its oldest article, no further back', () => {
    const full = Array.from({ length: UNCAPPED_WINDOW }, (_, i) => item(`f${i}`, 10 + i));
    expect(retain([], full, { lastFetchAt: 0 }, keys, NOW).coveredSince).toBe(NOW - (10 + UNCAPPED_WINDOW - 1) * MIN);
  });

  it('moves coverage past an article it had to drop (the bound on history)', () => {
    const left = Array.from({ length: HISTORY_EXTRA + 1 }, (_, i) => item(`h${i}`, 10 + i, 5));
    const kept = retain(left, [item('new', 1)], { coveredSince: NOW - 24 * 60 * MIN, lastFetchAt: NOW - MIN }, keys, NOW);
    expect(kept.items).toHaveLength(HISTORY_EXTRA + 1);
    expect(ids(kept.items)).not.toContain(`h${HISTORY_EXTRA}`); // the oldest published went
    expect(kept.coveredSince).toBe(NOW - 5 * MIN + 1); // a cursor from before it was first seen cannot be served
  });

  it('a full feed that turned over completely between two fetches may have lost articles: coverage starts at the new window', () => {
    const window = (prefix: string, from: number) => Array.from({ length: UNCAPPED_WINDOW }, (_, i) => item(`${prefix}${i}`, from + i));
    const before = retain([], window('a', 120), { lastFetchAt: 0 }, keys, NOW - 60 * MIN);
    const gap = retain(before.items, window('x', 5), { coveredSince: before.coveredSince, lastFetchAt: NOW - 60 * MIN }, keys, NOW);
    expect(gap.coveredSince).toBe(NOW - (5 + UNCAPPED_WINDOW - 1) * MIN);
    // Overlapping windows (one article in both) lose nothing.
    const overlap = retain(before.items, [...window('x', 5).slice(1), item('a0', 120)], { coveredSince: before.coveredSince, lastFetchAt: NOW - 60 * MIN }, keys, NOW);
    expect(overlap.coveredSince).toBe(before.coveredSince);
  });

  it('keeps 24 hours', () => {
    expect(HISTORY_WINDOW_MS).toBe(24 * 60 * MIN);
  });
});
