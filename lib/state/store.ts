import { STORE_TIMEOUT_MS, stateBackend } from './backend';
import type { GuardStore } from './guard-store';
import { MemoryGuardStore } from './memory-store';
import { RedisGuardStore } from './redis-store';
import { reportStoreFailure, reportStoreHealthy } from './store-failures';

// Route bundles may each load this module; the limiter state must be one per process.
const key = Symbol.for('market-pulse.guard-store');
const holder = globalThis as unknown as Record<symbol, GuardStore | undefined>;

/** The guard's store for this process, chosen by the environment (docs/security.md). */
export function guardStore(): GuardStore {
  const existing = holder[key];
  if (existing) return existing;
  const backend = stateBackend();
  const store = backend.kind === 'memory' ? new MemoryGuardStore() : new RedisGuardStore(backend.kind, backend.redis, STORE_TIMEOUT_MS);
  holder[key] = store;
  return store;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs one store operation with a deadline. A slow or failing store yields `{ok:false}` (the caller
 * then allows the request: a news feed should stay up while Redis is down) and is logged at most
 * once a minute; the rejected promise is always observed, so nothing is left unhandled.
 */
export async function withStore<T>(store: GuardStore, operation: string, run: () => Promise<T>): Promise<Outcome<T>> {
  if (store.kind === 'memory') return { ok: true, value: await run() };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
  });
  const work = run();
  try {
    const value = await Promise.race([work, deadline]);
    reportStoreHealthy(store.kind);
    return { ok: true, value };
  } catch (error) {
    work.catch(() => {});
    reportStoreFailure(store.kind, operation, error);
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
