/**
 * Size bounds checked before anything parses a request. Node itself refuses request heads over
 * 16 KiB (431) before the app sees them; these bound what is left.
 */
// Well above any valid query, so an overlong parameter (a 5 kB symbol) still reaches the route and gets the 400 naming its field.
export const MAX_URL_LENGTH = 8192;
/** JSON-RPC messages to /api/mcp are a few hundred bytes; nothing this API accepts comes near. */
export const MAX_BODY_BYTES = 64 * 1024;

export type BoundsVerdict = { ok: true } | { ok: false; status: 413 | 414 | 400; message: string };

export function checkUrl(url: URL): BoundsVerdict {
  const length = url.pathname.length + url.search.length;
  if (length > MAX_URL_LENGTH) {
    return { ok: false, status: 414, message: `Request URL too long: at most ${MAX_URL_LENGTH} characters of path and query` };
  }
  return { ok: true };
}

const tooLarge = { ok: false, status: 413, message: `Request body too large: at most ${MAX_BODY_BYTES} bytes` } as const;

/**
 * Refuses an oversized body by its declared Content-Length; a body without one (chunked) is read
 * from a clone up to the limit and no further, so an endless body cannot exhaust memory.
 */
export async function checkBody(request: Request): Promise<BoundsVerdict> {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return { ok: true };
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!/^\d{1,15}$/.test(declared.trim())) return { ok: false, status: 400, message: 'Content-Length must be a byte count' };
    return Number(declared) > MAX_BODY_BYTES ? tooLarge : { ok: true };
  }
  if (!request.body) return { ok: true };
  const reader = request.clone().body!.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ok: true };
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) return tooLarge;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}
