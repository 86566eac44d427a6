import { handleMcpRequest, methodNotAllowed } from '@/lib/mcp/endpoint';

// Tool calls stream for up to STREAM_MAX_DURATION_MS and read live state: Node runtime, never cached.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
/** Seconds; STREAM_MAX_DURATION_MS defaults to 300 000 ms, so a streaming call fits in one invocation. */
export const maxDuration = 300;

/** /api/mcp — the MCP endpoint (Streamable HTTP; 2026-07-28 and 2025-era clients). Contract §3. */
export const POST = handleMcpRequest;
export const GET = methodNotAllowed;
export const DELETE = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const HEAD = methodNotAllowed;
