import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import IORedis from 'ioredis';
import { portableScript } from '../../lib/state/backend';
import { freePort } from './app-server';

export interface UpstashBridge {
  url: string;
  token: string;
  /** Commands received (upper-cased names), to prove the app really used the REST path. */
  commands(): string[];
  close(): Promise<void>;
}

/**
 * Speaks the Upstash Redis REST protocol (POST / with a JSON command array, Bearer token, results
 * as {"result": ...}, strings base64-encoded when the client sends `Upstash-Encoding: base64`,
 * errors as HTTP 400 {"error": "..."}) and runs each command on a real redis-server, so the
 * production code path through @upstash/redis is what the tests exercise.
 */
export async function startUpstashBridge(redisUrl: string, token = 'test-upstash-token'): Promise<UpstashBridge> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const seen: string[] = [];
  const hashes = new Map<string, string>();
  const run = async (command: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> => {
    if (!Array.isArray(command) || command.length === 0) return { ok: false, error: 'ERR command must be a non-empty array' };
    const [name, ...args] = command.map(String) as [string, ...string[]];
    seen.push(name.toUpperCase());
    // Upstash accepts script flags the test's older redis-server refuses; map them away here
    // (and the scripts' hashes with them) as Upstash's server would simply run them.
    if (name.toUpperCase() === 'EVAL' && args[0]) {
      const portable = portableScript(args[0]);
      if (portable !== args[0]) hashes.set(sha1(args[0]), sha1(portable));
      args[0] = portable;
    }
    if (name.toUpperCase() === 'EVALSHA' && args[0]) args[0] = hashes.get(args[0]) ?? args[0];
    try {
      return { ok: true, result: await redis.call(name, ...args) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', async () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' });
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'POST' || !['/', '', '/pipeline', '/multi-exec'].includes(path!)) return reply(404, { error: `unsupported path ${req.url}` });
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return reply(400, { error: 'ERR invalid JSON' });
      }
      const base64 = req.headers['upstash-encoding'] === 'base64';
      // @upstash/redis auto-pipelines: /pipeline and /multi-exec take an array of commands and answer
      // an array of {result} | {error}.
      if (path === '/pipeline' || path === '/multi-exec') {
        if (!Array.isArray(parsed)) return reply(400, { error: 'ERR pipeline must be an array of commands' });
        const results: unknown[] = [];
        for (const command of parsed) {
          const outcome = await run(command);
          results.push(outcome.ok ? { result: base64 ? encode(outcome.result) : outcome.result } : { error: outcome.error });
        }
        return reply(200, results);
      }
      const outcome = await run(parsed);
      if (!outcome.ok) return reply(400, { error: outcome.error });
      reply(200, { result: base64 ? encode(outcome.result) : outcome.result });
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands: () => [...seen],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Upstash encodes bulk strings as base64 ("OK" status replies stay plain); numbers and nulls as JSON. */
function encode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'string') return value === 'OK' ? value : Buffer.from(value, 'utf8').toString('base64');
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value ?? null;
}
