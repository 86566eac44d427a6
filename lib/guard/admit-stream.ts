export type StreamEndpoint = 'sse' | 'mcp';

export type Admission =
  | { ok: true; release(): void }
  | { ok: false; status: 429; message: string; retryAfterSeconds: number };

/**
 * Decides whether a client may start one more stream (rate limit + concurrency cap).
 * Placeholder until the guard lands: admits everything.
 */
export async function admitStream(_request: Request, _endpoint: StreamEndpoint): Promise<Admission> {
  return { ok: true, release: () => {} };
}
