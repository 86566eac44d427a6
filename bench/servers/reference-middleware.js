import { NextResponse } from 'next/server';

/**
 * Mounted on a copy of the minimal Next.js route (bench/lib/build.mjs): nothing but Next's own
 * Node.js middleware on every /api request, mounted as the app's guard is. Next's cost of running
 * a middleware at all, which the design keeps as the guard's entry, apart from the guard's work.
 */
export function middleware() {
  return NextResponse.next();
}

export const config = { runtime: 'nodejs', matcher: '/api/:path*' };
