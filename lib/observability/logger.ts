/**
 * Structured logs: one JSON object per line on stdout/stderr.
 * A thin wrapper over `console` rather than pino: Vercel captures console output per invocation
 * and pino's worker-thread transports do not survive serverless freezes; synchronous console
 * writes also keep log order intact when a function is frozen right after responding.
 *
 * Every line carries `time` (ISO), `level` and `event`; callers add the request or stream id.
 */
import { processSingleton } from '@/lib/runtime/process-singleton';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Read on every line rather than through lib/config: the logger sits below everything, config included. */
function threshold(): number {
  const raw = (process.env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  return order[(Object.hasOwn(order, raw) ? raw : 'info') as Level];
}

export type LogFields = Record<string, unknown>;

/**
 * Field names whose values are credentials wherever they appear. A defence in depth only: callers
 * must not pass secrets in the first place, but a header map logged by mistake is caught here.
 */
const SECRET_FIELD = /^(authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|password|secret|token|access[-_]?token)$/i;

function clean(value: unknown, depth: number): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (depth > 4 || value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : clean(v, depth + 1);
  return out;
}

function write(level: Level, event: string, fields: LogFields = {}): void {
  if (order[level] < threshold()) return;
  let line: string;
  try {
    line = JSON.stringify({ time: new Date().toISOString(), level, event, ...(clean(fields, 0) as LogFields) });
  } catch {
    // A circular or otherwise unserialisable field must never crash the caller.
    line = JSON.stringify({ time: new Date().toISOString(), level, event, logError: 'fields not serialisable' });
  }
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

const loggedOnce = processSingleton('logged-once', () => new Set<string>());

export const log = {
  /** Whether lines of `level` are written: lets a hot path skip building fields nobody reads. */
  enabled: (level: Level) => order[level] >= threshold(),
  debug: (event: string, fields?: LogFields) => write('debug', event, fields),
  info: (event: string, fields?: LogFields) => write('info', event, fields),
  warn: (event: string, fields?: LogFields) => write('warn', event, fields),
  error: (event: string, fields?: LogFields) => write('error', event, fields),
  /** For conditions that hold for the whole process (a setting): one line per `key`, however often reached. */
  once: (key: string, level: Level, event: string, fields?: LogFields) => {
    if (loggedOnce.has(key)) return;
    loggedOnce.add(key);
    write(level, event, fields);
  },
};
