import { guardRequest } from '@/lib/guard/guard-request';

/**
 * Every /api request passes the guard (lib/guard, docs/security.md) before a route sees it.
 *
 * Node.js runtime, not Edge: the guard compares keys with node:crypto and shares config and logger
 * with the routes. The file stays middleware.ts, which the design names; Next 16 would run the same
 * code as proxy.ts (deprecation notice at build), which is always Node.js.
 */
export const middleware = guardRequest;

export const config = { runtime: 'nodejs', matcher: '/api/:path*' };
