import { JsonRpcCode, jsonRpcErrorResponse } from './json-rpc-error';

/**
 * The methods each /api route serves, as its `Allow` header states them: on its 405 answers and on
 * an `OPTIONS` without an Origin. One rule, so a 405 never advertises a method that is itself
 * refused (the MCP endpoint is stateless: GET and DELETE, the 2025 session operations, are 405 too).
 */
export const GET_ONLY_METHODS = 'GET, HEAD, OPTIONS';
export const MCP_METHODS = 'POST, OPTIONS';

export function allowedMethods(pathname: string): string {
  return pathname === '/api/mcp' ? MCP_METHODS : GET_ONLY_METHODS;
}

export function isAllowedMethod(pathname: string, method: string): boolean {
  return allowedMethods(pathname).split(', ').includes(method);
}

/** The contract's 405 for a route that serves `allow`: JSON-RPC code -32005, with that `Allow`. */
export function methodNotAllowedResponse(allow: string): Response {
  const served = allow === MCP_METHODS ? '/api/mcp accepts POST (a stateless server: no GET stream, no session to DELETE)' : 'this endpoint accepts GET and HEAD';
  return jsonRpcErrorResponse(405, JsonRpcCode.methodNotAllowed, `Method not allowed: ${served}`, undefined, { Allow: allow });
}

/**
 * Route handlers for the methods a GET-only endpoint does not serve: Next.js would otherwise answer
 * 405 with an empty body. The guard refuses these first (and any other method, which Next would
 * answer with a bare 400); the handlers keep the route right on its own.
 */
export function getOnlyHandlers(): Record<'POST' | 'PUT' | 'PATCH' | 'DELETE', () => Response> {
  const refuse = () => methodNotAllowedResponse(GET_ONLY_METHODS);
  return { POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}
