import { log } from '@/lib/observability/logger';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { recordRedisError } from '@/lib/observability/metrics';

/**
 * Shared-state outages are logged at most once a minute (a down Redis would otherwise print a line
 * per request), and recovery is logged once, so an operator sees when and for how long it was out.
 */
const QUIET_MS = 60_000;

interface FailureState {
  lastLoggedAt: number;
  failing: boolean;
  suppressed: number;
}

const state = processSingleton('store-failures', (): FailureState => ({ lastLoggedAt: 0, failing: false, suppressed: 0 }));

/** Error text without anything that could be a credential (URLs may carry passwords or tokens). */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 200);
}

export function reportStoreFailure(store: string, operation: string, error: unknown, now = Date.now()): void {
  state.failing = true;
  // Every failure is counted (market_pulse_redis_errors_total); only the log line is throttled.
  recordRedisError(store, operation);
  if (now - state.lastLoggedAt < QUIET_MS) {
    state.suppressed += 1;
    return;
  }
  log.warn('guard.store_unavailable', {
    store,
    operation,
    error: describe(error),
    action: 'allowing requests until the store answers again',
    suppressedSinceLastLog: state.suppressed,
  });
  state.lastLoggedAt = now;
  state.suppressed = 0;
}

export function reportStoreHealthy(store: string): void {
  if (!state.failing) return;
  state.failing = false;
  log.info('guard.store_recovered', { store });
}
