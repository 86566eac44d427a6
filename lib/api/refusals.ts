import { refusalResponse } from '@/lib/guard/admit-stream';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import type { StartRefusal } from '@/lib/stream/session';

/** A stream or snapshot that did not start: 429/503 with Retry-After, or the 400 for a `since` the history no longer covers. */
export function startRefusalResponse(refusal: StartRefusal): Response {
  if (refusal.status !== 400) return refusalResponse(refusal);
  return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, refusal.message, { fields: { [refusal.field]: refusal.message }, reason: refusal.reason });
}

/** A 400 naming the field, for a cursor that did not verify. */
export function badCursorResponse(field: string, message: string): Response {
  return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields: { [field]: message } });
}
