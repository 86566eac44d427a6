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
