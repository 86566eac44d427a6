import { createHash } from 'node:crypto';
import { settings } from '@/lib/config/settings';
import { clientId } from '@/lib/guard/client-identity';
import { processSingleton } from '@/lib/runtime/process-singleton';

/**
 * Streaming calls in flight in this process, so a `notifications/cancelled` can reach the call it
 * names. Under the stateless 2025-era fallback the notification arrives as its own POST, served by a
 * fresh server instance that knows nothing of the call, and a 2025 client (e.g. the v1 SDK) keeps the
 * call's response open after cancelling. Without sessions the only correlation is who is asking
 * (client identity + User-Agent) and the JSON-RPC id; when that pair is ambiguous nothing is
 * cancelled rather than risk stopping someone else's call.
 */

type RequestId = string | number;

const calls = processSingleton('mcp-calls', () => new Map<string, Set<() => void>>());

function callKey(request: Request, requestId: RequestId): string {
  const who = clientId(request.headers, settings());
  const agent = request.headers.get('user-agent') ?? '';
  return createHash('sha256').update(`${who}\n${agent}\n${typeof requestId}:${String(requestId)}`).digest('base64url');
}

/** Records a call, and how to cancel it, until the returned function is called. */
export function registerCall(request: Request, requestId: RequestId, cancel: () => void): () => void {
  const k = callKey(request, requestId);
  const set = calls.get(k) ?? new Set();
  set.add(cancel);
  calls.set(k, set);
  return () => {
    set.delete(cancel);
    if (set.size === 0 && calls.get(k) === set) calls.delete(k);
  };
}

/** Cancels the one call the notification can name; reports what it did. */
export function cancelCall(request: Request, requestId: RequestId): 'cancelled' | 'unknown' | 'ambiguous' {
  const set = calls.get(callKey(request, requestId));
  if (!set || set.size === 0) return 'unknown';
  if (set.size > 1) return 'ambiguous';
  for (const cancel of set) cancel();
  return 'cancelled';
}
