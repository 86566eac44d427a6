import type { ChildProcess, SpawnOptions } from 'node:child_process';

/** The repository's root (this file is in scripts/support). */
export const repoRoot: string;
/** Next's CLI, run with node rather than through npx so the server is the child itself (its pid, its signals). */
export const nextBin: string;

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number>;

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number | undefined;
  process: ChildProcess;
  /** Everything the server printed (stdout and stderr as they came; only the last `outputLimit` characters), for log assertions and error messages. */
  output(): string;
  /** Sends `signal` (SIGTERM by default), SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerOptions {
  /** Default: repoRoot. */
  cwd?: string;
  /** Added to PATH, HOME, NODE_ENV=production and NEXT_TELEMETRY_DISABLED=1; PORT is set last. Nothing else of the caller's environment is passed on. */
  env?: Record<string, string | undefined>;
  /** Default: freePort(). */
  port?: number;
  /** The path that must answer 2xx before the server counts as started. Default: /api/health. */
  healthPath?: string;
  /** How long the server may take to answer before it is killed and the start fails. Default: 60,000. */
  timeoutMs?: number;
  /** Between two health checks. Default: 100. */
  intervalMs?: number;
  /** How long stop() waits after its signal before SIGKILL. Default: 5,000. */
  graceMs?: number;
  /** How many of the last printed characters output() keeps. Default: all. */
  outputLimit?: number;
  /** In error messages. */
  name?: string;
  /** Starts node with these arguments (default: spawn(process.execPath, args, options)); the bench wraps it to raise the fd limit. */
  spawn?: (args: string[], options: SpawnOptions) => ChildProcess;
}

/** Starts `node ...args` and resolves once healthPath answers; rejects with the server's output if it exits first or does not answer in time. */
export function startNodeServer(options: ServerOptions & { args: string[] }): Promise<ServerProcess>;

/**
 * `node ...nodeArgs next start -p <port> -H 127.0.0.1` with NEXT_DIST_DIR=distDir (default .next,
 * relative to cwd), as startNodeServer. nodeArgs are for flags NODE_OPTIONS does not take (e.g. --cpu-prof).
 */
export function startNextServer(options?: ServerOptions & { distDir?: string; nodeArgs?: string[] }): Promise<ServerProcess>;
