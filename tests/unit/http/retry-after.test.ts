import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '@/lib/http/retry-after';

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 10, 25, 14, 0, 0);
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
    [new Date(now + 30_000).toUTCString(), 30_000],
    [new Date(now - 30_000).toUTCString(), 0], // a date in the past: retry now
  ])('%j → %d ms', (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms);
  });

  it.each([null, '', 'soon', 'abc123'])('%j → undefined', (value) => {
    expect(retryAfterMs(value, now)).toBeUndefined();
  });
});
