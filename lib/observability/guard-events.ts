import { log } from './logger';
import { countRefusal, type RefusalReason } from './metrics';

export interface Refusal {
  requestId: string;
  /** 'sse', 'mcp', or another short route name. */
  endpoint: string;
  reason: RefusalReason;
  /** HTTP status sent (401, 403, 429…). */
  status: number;
  /** Seconds, for 429s. */
  retryAfterSeconds?: number;
  /** Which limit was hit, e.g. "10 per minute"; never the key or anything secret. */
  limit?: string;
  /** A non-secret client label (e.g. "ip" / "key") — never the key itself. */
  clientKind?: 'key' | 'ip';
}

/**
 * For the guard: one refused request, logged at info (one line per refusal, which is what an
 * operator needs to answer "why did this client get a 429") and counted in
 * market_pulse_guard_refusals_total{endpoint,reason}.
 */
export function reportRefusal(refusal: Refusal): void {
  countRefusal(refusal.endpoint, refusal.reason);
  log.info('guard.refused', { ...refusal });
}
