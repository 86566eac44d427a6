import { streamNews, streamNewsHead } from '@/lib/api/stream-news';
import { getOnlyHandlers } from '@/lib/http/allowed-methods';

// Streams are long-lived and read live state: Node runtime, never cached or prerendered.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
/** Seconds; STREAM_MAX_DURATION_MS defaults to 300 000 ms, so a stream fits in one invocation. */
export const maxDuration = 300;

/** GET /api/mcp/stream-news — live news as Server-Sent Events of JSON-RPC messages (contract §1). */
export const GET = streamNews;
export const HEAD = streamNewsHead;
export const { POST, PUT, PATCH, DELETE } = getOnlyHandlers();
