import { answerWithin } from '@/lib/runtime/answer-within';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { STORE_TIMEOUT_MS, stateBackend } from './backend';
import type { GuardStore } from './guard-store';
import { MemoryGuardStore } from './memory-store';
import { RedisGuardStore } from './redis-store';
import { reportStoreFailure, reportStoreHealthy } from './store-failures';

/** The guard's store for this process (one limiter state for every route bundle), chosen by the environment. */
export function guardStore(): GuardStore {
  return processSingleton('guard-store', () => {
    const backend = stateBackend();
    return backend.kind === 'memory' ? new MemoryGuardStore() : new RedisGuardStore(backend.kind, backend.redis);
  });
}

export type Outcome<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs one store operation with a deadline. A slow or failing store yields `{ok:false}` (the caller
 * then allows the request: a news feed should stay up while Redis is down) and is logged at most
 * once a minute; the rejected promise is always observed, so nothing is left unhandled.
 */
export async function withStore<T>(store: GuardStore, operation: string, run: () => Promise<T>): Promise<Outcome<T>> {
  if (store.kind === 'memory') return { ok: true, value: await run() };
  const work = run();
  try {
    // answerWithin, not a plain timer: an answer that came while the event loop was busy still counts.
    const value = await answerWithin(work, STORE_TIMEOUT_MS, `no answer within ${STORE_TIMEOUT_MS} ms`);
    reportStoreHealthy(store.kind);
    return { ok: true, value };
  } catch (error) {
    work.catch(() => {});
    reportStoreFailure(store.kind, operation, error);
    return { ok: false };
  }
}
