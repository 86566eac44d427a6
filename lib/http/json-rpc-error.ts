/** JSON-RPC error codes the API answers with (API_CONTRACT.md "Errors before the stream starts"). */
export const JsonRpcCode = {
  invalidParams: -32602,
  invalidRequest: -32600,
  parseError: -32700,
  methodNotFound: -32601,
  internalError: -32603,
  /** Server-defined range: refusals by the guard (auth, origin, limits). */
  unauthorized: -32001,
  forbidden: -32003,
  rateLimited: -32029,
  /** Contract §6.5: at capacity (too many distinct symbols in use), try again later. */
  serverBusy: -32000,
  methodNotAllowed: -32005,
} as const;

/** The contract's JSON error body, never HTML, never a stack trace. */
export function jsonRpcErrorResponse(
  status: number,
  code: number,
  message: string,
  data?: Record<string, unknown>,
  headers?: HeadersInit,
): Response {
  const body = { jsonrpc: '2.0', error: { code, message, ...(data ? { data } : {}) }, id: null };
  const res = Response.json(body, { status, headers });
  res.headers.set('Cache-Control', 'no-store');
  return res;
}
