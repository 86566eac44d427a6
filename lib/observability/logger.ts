/**
 * Structured logs: one JSON object per line on stdout/stderr.
 * A thin wrapper over `console` rather than pino: Vercel captures console output per invocation
 * and pino's worker-thread transports do not survive serverless freezes.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const raw = (process.env.LOG_LEVEL ?? 'info').toLowerCase();
  return order[(raw in order ? raw : 'info') as Level];
}

export type LogFields = Record<string, unknown>;

function write(level: Level, event: string, fields: LogFields = {}): void {
  if (order[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const log = {
  debug: (event: string, fields?: LogFields) => write('debug', event, fields),
  info: (event: string, fields?: LogFields) => write('info', event, fields),
  warn: (event: string, fields?: LogFields) => write('warn', event, fields),
  error: (event: string, fields?: LogFields) => write('error', event, fields),
};
