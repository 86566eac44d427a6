import type { FeedPoller } from '../poll/feed-poller';

/**
 * Resolves once `every` (or `some`) feed has been tried and is current: feeds that sat idle past
 * their period (no subscriber kept them polling) must be tried again, or a snapshot after a quiet
 * spell would serve old news. Also resolves after `timeoutMs`, or when `signal` aborts.
 */
export function waitForFeeds(pollers: FeedPoller[], signal: AbortSignal, timeoutMs: number, mode: 'every' | 'some'): Promise<void> {
  const stale = new Map(pollers.filter((p) => p.overdue).map((p) => [p, p.polls] as const));
  const current = (p: FeedPoller) => p.attempted && (stale.get(p) ?? -1) < p.polls;
  const fresh = () => (mode === 'every' || pollers.length === 0 ? pollers.every(current) : pollers.some(current));
  if (fresh() || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = () => {
      if (fresh()) done();
    };
    const stopListening = pollers.map((p) => p.onAttempt(check));
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      for (const stop of stopListening) stop();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal.addEventListener('abort', done, { once: true });
  });
}
