import { randomBytes } from 'node:crypto';
import { settings } from '@/lib/config/settings';
import { log } from '@/lib/observability/logger';
import { processSingleton } from '@/lib/runtime/process-singleton';
import { stateBackend } from '@/lib/state/backend';
import { createCursorCodec, type CursorCodec } from './cursor';

/** Where the deployment's generated secret lives when STREAM_CURSOR_SECRET is unset. */
const SECRET_KEY = 'mp:cursor-secret';
/** Stores this secret unless one is stored already, and answers the stored one: every instance ends up with the first. */
const GET_OR_SET = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`;
/**
 * How often an instance writes its secret back if the key is gone: after Redis lost its data, the
 * running instances restore the secret before a newly started one can make up another.
 */
const SYNC_MS = 10_000;

interface Keys {
  /** Signs new cursors. */
  sign: CursorCodec;
  /** Verifies: the signing secret, then one this process signed with before adopting it. */
  verify: CursorCodec[];
  syncedAt: number;
  syncing?: Promise<void>;
  /** What cursorCodec() hands out, made once. */
  current?: CursorCodec;
}

const state = processSingleton('cursor-keys', (): { keys?: Keys } => ({}));

/**
 * The codec every cursor of this deployment is signed and verified with (contract §6.1):
 * STREAM_CURSOR_SECRET when set; else one random secret per deployment, stored once in the shared
 * Redis; else (no Redis) one per process, with a warning, so cursors do not survive a restart.
 */
export async function cursorCodec(): Promise<CursorCodec> {
  const keys = state.keys ?? (await firstKeys());
  state.keys = keys;
  if (Date.now() - keys.syncedAt > SYNC_MS) keys.syncing ??= sync(keys).finally(() => (keys.syncing = undefined));
  return (keys.current ??= currentCodec(keys));
}

/**
 * One codec object per set of keys, not per stream: each open stream holds its codec for its
 * whole life. It reads `keys` at each call, so a secret adopted by a later sync is used at once.
 */
function currentCodec(keys: Keys): CursorCodec {
  return {
    encode: (cursor) => keys.sign.encode(cursor),
    decode: (raw, options) => {
      let first: ReturnType<CursorCodec['decode']> | undefined;
      for (const codec of keys.verify) {
        const decoded = codec.decode(raw, options);
        if (decoded.ok || decoded.problem !== 'signature') return decoded;
        first ??= decoded;
      }
      return first!;
    },
  };
}

async function firstKeys(): Promise<Keys> {
  const configured = settings().cursorSecret;
  const own = codecFor(configured ?? randomSecret());
  const keys: Keys = { sign: own, verify: [own], syncedAt: configured ? Infinity : 0 };
  if (configured) return keys;
  if (stateBackend().kind === 'memory') {
    log.once('cursor.secret_per_process', 'warn', 'cursor.secret_per_process', {
      message: 'STREAM_CURSOR_SECRET is not set and no Redis is configured: event ids are signed with a per-process secret and will not survive a restart',
    });
    return { ...keys, syncedAt: Infinity };
  }
  await sync(keys, true);
  return keys;
}

/** Writes this process's secret unless Redis holds one, and signs with whatever Redis holds. */
async function sync(keys: Keys, initial = false): Promise<void> {
  const backend = stateBackend();
  if (backend.kind === 'memory') return;
  try {
    const stored = String(await backend.redis.eval<string>(GET_OR_SET, [SECRET_KEY], [secretOf(keys)]));
    if (stored !== secretOf(keys)) {
      const adopted = codecFor(stored);
      // At first this process has signed nothing yet; later, its own ids stay valid here.
      keys.verify = initial ? [adopted] : [adopted, keys.sign];
      keys.sign = adopted;
    }
    keys.syncedAt = Date.now();
  } catch (error) {
    // Redis is out: keep signing with what this process has (a fresh one at first) and try again soon.
    keys.syncedAt = Date.now();
    log.warn('cursor.secret_unavailable', {
      error: error instanceof Error ? error.message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>') : 'unknown',
      action: 'signing with this process\'s secret until Redis answers; other instances may refuse those event ids',
    });
  }
}

/** The secret text behind each codec this module made (codecs do not expose their key). */
const secrets = new WeakMap<CursorCodec, string>();

function secretOf(keys: Keys): string {
  return secrets.get(keys.sign) ?? '';
}

function codecFor(secret: string): CursorCodec {
  const codec = createCursorCodec(secret);
  secrets.set(codec, secret);
  return codec;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
