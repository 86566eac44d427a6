import { describe, expect, it } from 'vitest';
import { MAX_KEPT_ARRIVALS, RESUME_KEY, RESUME_MAX_AGE_MS, saveResumePoint, takeResumePoint, type ResumePoint } from '@/lib/dashboard/resume-point';
import { wireArticle } from './fixtures';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const NOW = Date.parse('2026-12-01T09:00:00Z');
const point: ResumePoint = {
  symbols: ['TSLA', 'BRK.B'],
  cursor: 'v1.abc',
  url: '/api/mcp/stream-news?symbols=TSLA,BRK.B&interval=10000&duration=295000&limit=20',
  openEnded: true,
  endsAt: NOW + 200_000,
  liveSince: NOW - 60_000,
  startedAt: NOW - 90_000,
  arrivals: [{ ...wireArticle('a1', { symbols: ['TSLA'] }), arrivedAt: NOW - 30_000 }],
  backlogDue: false,
  savedAt: NOW,
};

describe('the resume point kept across a reload', () => {
  it('is read once: the next load continues, the one after does not', () => {
    const storage = memoryStorage();
    saveResumePoint(storage, point);
    expect(takeResumePoint(storage, NOW + 1_000)).toEqual(point);
    expect(takeResumePoint(storage, NOW + 2_000)).toBeNull();
  });

  it('a session no longer live removes the old point', () => {
    const storage = memoryStorage();
    saveResumePoint(storage, point);
    saveResumePoint(storage, null);
    expect(storage.items.has(RESUME_KEY)).toBe(false);
  });

  it.each([
    ['older than a reload takes', { ...point, savedAt: NOW - RESUME_MAX_AGE_MS - 1 }],
    ['saved in the future', { ...point, savedAt: NOW + 60_000 }],
    ['a URL other than the stream endpoint', { ...point, url: 'https://evil.example/api/mcp/stream-news?' }],
    ['an invalid ticker', { ...point, symbols: ['TSLA', '<script>'] }],
    ['no symbols', { ...point, symbols: [] }],
    ['a cursor of the wrong type', { ...point, cursor: 42 }],
    ['a cursor no header can carry', { ...point, cursor: 'bad\ncursor' }],
    ['a time no Date can hold', { ...point, liveSince: 1e300 }],
    ['a start far in the past', { ...point, startedAt: -1e20 }],
    ['an end far in the future', { ...point, endsAt: NOW + 400 * 86_400_000 }],
    ['more arrivals than are ever kept', { ...point, arrivals: Array.from({ length: MAX_KEPT_ARRIVALS + 1 }, () => point.arrivals[0]) }],
  ])('reads as none when %s, and is removed', (_what, stored) => {
    const storage = memoryStorage();
    storage.setItem(RESUME_KEY, JSON.stringify(stored));
    expect(takeResumePoint(storage, NOW)).toBeNull();
    expect(storage.items.has(RESUME_KEY)).toBe(false);
  });

  it('an arrival that does not pass the article schema drops only itself', () => {
    const storage = memoryStorage();
    const bad = { ...point.arrivals[0]!, id: 'bad', url: 'javascript:alert(1)' };
    const noTime = { ...wireArticle('a2'), arrivedAt: 'soon' };
    const farOff = { ...wireArticle('a3'), arrivedAt: 8e15 };
    saveResumePoint(storage, { ...point, arrivals: [bad, ...point.arrivals, noTime as never, farOff] });
    expect(takeResumePoint(storage, NOW)?.arrivals.map((a) => a.id)).toEqual(['a1']);
  });

  it('reads as none when the stored text is not JSON or storage is unavailable', () => {
    const storage = memoryStorage();
    storage.setItem(RESUME_KEY, '{not json');
    expect(takeResumePoint(storage, NOW)).toBeNull();
    expect(takeResumePoint(undefined, NOW)).toBeNull();
    const throwing = { getItem: () => { throw new Error('SecurityError'); }, removeItem: () => {} };
    expect(takeResumePoint(throwing, NOW)).toBeNull();
  });
});
