import IORedis from 'ioredis';
import { createCursorCodec, type StreamCursor } from '@/lib/stream/cursor';

/** A long enough secret for tests that start apps with STREAM_CURSOR_SECRET set. */
export const TEST_CURSOR_SECRET = 'test-cursor-secret-0123456789abcdef';

/** Reads an event id the way the app verifies it, with `secret`; throws when it does not verify. */
export function readCursor(id: string, secret = TEST_CURSOR_SECRET, maxSpanMs = 24 * 3_600_000): StreamCursor {
  const decoded = createCursorCodec(secret).decode(id, { now: Date.now(), maxSpanMs });
  if (!decoded.ok) throw new Error(`event id ${id.slice(0, 40)}… does not verify: ${decoded.message}`);
  return decoded.cursor;
}

/** The per-deployment secret the instances generated and stored in Redis (STREAM_CURSOR_SECRET unset). */
export async function deploymentSecret(redisUrl: string): Promise<string> {
  const client = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const secret = await client.get('mp:cursor-secret');
    if (!secret) throw new Error('no cursor secret stored in Redis yet');
    return secret;
  } finally {
    client.disconnect();
  }
}
