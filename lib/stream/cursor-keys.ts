import { randomBytes } from 'node:crypto';
import { settings } from '@/lib/config/settings';
import { log } from '@/lib/observability/logger';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { stateBackend } from '@/lib/state/backend';
import { createCursorCodec, type CursorCodec } from './cursor';

/** Where the deployment's generated secret lives when STREAM_CURSOR_SECRET is unset. */
const SECRET_KEY = 'mp:cursor-secret';
/** Takes the stored secret, or stores this one if there is none yet: every instance ends up with the first. */
const GET_OR_SET = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`;
/** After Redis failed to give the shared secret, how long this process signs with its own before asking again. */
const RETRY_MS = 30_000;

interface State {
  codec?: CursorCodec;
  fallback?: { codec: CursorCodec; until: number };
}

const state = processSingleton('cursor-keys', (): State => ({}));

/**
 * The codec every cursor of this deployment is signed and verified with (contract §6.1):
 * STREAM_CURSOR_SECRET when set; else one random secret per deployment, stored once in the shared
 * Redis; else (no Redis) one per process, with a warning, so cursors do not survive a restart.
 */
export async function cursorCodec(): Promise<CursorCodec> {
  if (state.codec) return state.codec;
  const configured = settings().cursorSecret;
  if (configured) return (state.codec = createCursorCodec(configured));
  const backend = stateBackend();
  if (backend.kind === 'memory') {
    log.once('cursor.secret_per_process', 'warn', 'cursor.secret_per_process', {
      message: 'STREAM_CURSOR_SECRET is not set and no Redis is configured: event ids are signed with a per-process secret and will not survive a restart',
    });
    return (state.codec = createCursorCodec(randomSecret()));
  }
  if (state.fallback && Date.now() < state.fallback.until) return state.fallback.codec;
  try {
    const secret = await backend.redis.eval<string>(GET_OR_SET, [SECRET_KEY], [randomSecret()]);
    return (state.codec = createCursorCodec(String(secret)));
  } catch (error) {
    log.warn('cursor.secret_unavailable', {
      error: error instanceof Error ? error.message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>') : 'unknown',
      action: `signing with a per-process secret for ${RETRY_MS / 1000} s; other instances will refuse those event ids`,
    });
    const codec = state.fallback?.codec ?? createCursorCodec(randomSecret());
    state.fallback = { codec, until: Date.now() + RETRY_MS };
    return codec;
  }
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
