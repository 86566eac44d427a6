import { describe, expect, it } from 'vitest';
import { clampProgress, formatClock, formatDuration, formatExact, formatRelative, formatRemaining, remainingMs } from '@/lib/dashboard/time';

describe('time remaining', () => {
  const endsAt = Date.parse('2026-11-25T10:01:00.000Z');
  const now = Date.parse('2026-11-25T10:00:15.000Z');

  it('counts down to the end, never below zero', () => {
    expect(remainingMs(endsAt, now)).toBe(45_000);
    expect(remainingMs(endsAt, now + 120_000)).toBe(0);
    expect(remainingMs(Number.NaN, now)).toBe(0);
  });

  it('shows the session start as a 24-hour clock time', () => {
    expect(formatClock(new Date(2026, 10, 25, 14, 5).getTime())).toBe('14:05');
    expect(formatClock(new Date(2026, 10, 25, 9, 7).getTime())).toBe('09:07');
  });

  it('formats as m:ss or h:mm:ss, rounded up so a live stream never reads 0:00', () => {
    expect(formatRemaining(45_000)).toBe('0:45');
    expect(formatRemaining(245_000)).toBe('4:05');
    expect(formatRemaining(3_723_000)).toBe('1:02:03');
    expect(formatRemaining(200)).toBe('0:01');
    expect(formatRemaining(-5)).toBe('0:00');
  });

  it('clamps progress into [0, 1]', () => {
    expect(clampProgress(0.5)).toBe(0.5);
    expect(clampProgress(-1)).toBe(0);
    expect(clampProgress(3)).toBe(1);
    expect(clampProgress(Number.NaN)).toBe(0);
    expect(clampProgress(Number.POSITIVE_INFINITY)).toBe(0);
  });
});

describe('relative and exact times', () => {
  const now = Date.parse('2026-11-25T12:00:00.000Z');
  it('reads like a person would say it', () => {
    expect(formatRelative('2026-11-25T11:59:30.000Z', now)).toBe('just now');
    expect(formatRelative('2026-11-25T12:05:00.000Z', now)).toBe('just now'); // future: clock skew
    expect(formatRelative('2026-11-25T11:55:00.000Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-11-25T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(formatRelative('2026-11-24T12:00:00.000Z', now)).toBe('yesterday');
    expect(formatRelative(undefined, now)).toBe('time unknown');
  });

  it('gives the exact time for the hover title', () => {
    expect(formatExact('2026-11-25T12:00:00.000Z')).toMatch(/2026/);
    expect(formatExact('nope')).toBe('unknown');
  });

  it('words durations for sentences', () => {
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(42)).toBe('42 seconds');
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(125)).toBe('3 minutes');
    expect(formatDuration(7200)).toBe('2 hours');
  });
});
