/** Progress as the bar shows it: a number in [0, 1] even if a message is odd. */
export function clampProgress(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(1, Math.max(0, p));
}

/**
 * Milliseconds until `end`, both on the client's clock. The session converts the server's `endsAt`
 * with the skew measured at the connected message, so a browser whose clock is off does not show a
 * wrong countdown.
 */
export function remainingMs(end: number, nowMs: number): number {
  return Number.isFinite(end) ? Math.max(0, end - nowMs) : 0;
}

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** "14:05": when the session went live, in the user's time zone. */
export function formatClock(ms: number): string {
  return clock.format(ms);
}

/** "0:45", "4:05", "1:02:03": rounded up so the countdown never reads 0:00 while still live. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "just now", "5 minutes ago", "yesterday"; future times (clock skew) read as "just now". */
export function formatRelative(iso: string | undefined, nowMs: number): string {
  const t = Date.parse(iso ?? '');
  if (Number.isNaN(t)) return 'time unknown';
  const diff = t - nowMs;
  if (diff > -60_000) return 'just now';
  for (const [unit, size] of steps) {
    if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
  }
  return 'just now';
}

const exact = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'long' });

export function formatExact(iso: string | undefined): string {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? 'unknown' : exact.format(t);
}

/** "42 seconds", "2 minutes", "1 hour": for sentences such as Retry-After explanations. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.ceil(m / 60);
  return `${h} hour${h === 1 ? '' : 's'}`;
}
