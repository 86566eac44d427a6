import type { NextRequest } from 'next/server';
import { guardRequest } from '@/lib/guard/guard-request';

/**
 * The API guard (lib/guard/guard-request.ts, docs/security.md).
 *
 * Runtime: Node.js, chosen deliberately. The guard compares API keys with node:crypto's
 * timingSafeEqual and shares modules (config, logger) with the routes; Edge offers neither, and
 * could not reach a REDIS_URL over TCP should the guard ever need it here. Node.js middleware is
 * stable since Next 15.5 and is what `next start` and Vercel both run (on Vercel it deploys as a
 * Node function). middleware.ts rather than proxy.ts because the issue asks for it; proxy.ts
 * would behave the same (it is always Node.js).
 */
export async function middleware(request: NextRequest): Promise<Response> {
  return guardRequest(request);
}

export const config = { runtime: 'nodejs', matcher: '/api/:path*' };
