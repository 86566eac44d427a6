export function sleep(ms: number): Promise<void>;

/** Polls `check` until it returns (or resolves to) something truthy; after `timeoutMs`, resolves with the last falsy result. */
export function waitFor<T>(check: () => T | PromiseLike<T>, timeoutMs: number, intervalMs?: number): Promise<T>;

/** Like waitFor, but throws `${what} not met within ${timeoutMs} ms` instead of resolving with a falsy result. */
export function waitUntil<T>(
  check: () => T | PromiseLike<T>,
  timeoutMs: number,
  what?: string,
  intervalMs?: number,
): Promise<Exclude<T, false | 0 | '' | null | undefined>>;
