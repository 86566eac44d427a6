import { retryAfterMs as parseRetryAfterMs } from '@/lib/http/retry-after';
import { readFeedText, TooLarge } from './read-feed-text';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetchOptions {
  validators?: Validators;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  signal?: AbortSignal;
  /** Called once the host has answered (headers in) or the request failed: it has seen the request by then. */
  answered?: () => void;
}

export type FetchErrorKind = 'timeout' | 'network' | 'http' | 'too-large' | 'rate-limited' | 'aborted';

export type FetchOutcome =
  | { kind: 'ok'; text: string; validators: Validators; status: number }
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'error'; errorKind: FetchErrorKind; message: string; status?: number; retryAfterMs?: number };

const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/**
 * One conditional GET of a feed with global fetch. Written by hand because no feed library does all
 * of: a deadline covering the whole exchange (a body dripping in slowly included), a byte cap that
 * stops reading, conditional GET, and charset decoding per RFC 7303. Never throws.
 */
export async function fetchFeed(url: string, options: FetchOptions): Promise<FetchOutcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { kind: 'error', errorKind: 'network', message: 'invalid feed URL' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { kind: 'error', errorKind: 'network', message: 'feed URL must be http or https' };
  }
  if (options.signal?.aborted) return { kind: 'error', errorKind: 'aborted', message: 'request cancelled' };
  const authorization = basicAuthorization(target);

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  try {
    const response = await fetch(target, { headers: requestHeaders(options, authorization), signal, redirect: 'follow' }).finally(() => options.answered?.());
    const validators = validatorsOf(response.headers, options.validators);
    if (response.status === 304) {
      await discard(response);
      return { kind: 'not-modified', validators };
    }
    if (response.status === 429 || response.status === 503) {
      await discard(response);
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
      return {
        kind: 'error',
        errorKind: 'rate-limited',
        message: `feed is rate limiting us (HTTP ${response.status})`,
        status: response.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    if (!response.ok) {
      await discard(response);
      return { kind: 'error', errorKind: 'http', message: `feed answered HTTP ${response.status}`, status: response.status };
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await discard(response);
      return tooLarge(options.maxBytes);
    }
    const text = await readFeedText(response.body, options.maxBytes, response.headers.get('content-type'));
    return { kind: 'ok', text, validators, status: response.status };
  } catch (error) {
    if (error instanceof TooLarge) return tooLarge(options.maxBytes);
    if (deadline.signal.aborted) {
      return { kind: 'error', errorKind: 'timeout', message: `feed did not answer within ${options.timeoutMs} ms` };
    }
    if (options.signal?.aborted) return { kind: 'error', errorKind: 'aborted', message: 'request cancelled' };
    return { kind: 'error', errorKind: 'network', message: networkMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A feed URL's user-info (`https://user:pass@host/feed`) as HTTP Basic credentials, taken off the
 * URL: fetch refuses a URL that carries credentials, so such a feed failed on every round as a
 * "network error". (fetch drops the header on a redirect to another origin.)
 */
function basicAuthorization(target: URL): string | undefined {
  if (!target.username && !target.password) return undefined;
  const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
  target.username = '';
  target.password = '';
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

function requestHeaders(options: FetchOptions, authorization: string | undefined): Headers {
  const headers = new Headers({ 'User-Agent': options.userAgent, Accept: ACCEPT });
  if (authorization) headers.set('Authorization', authorization);
  if (options.validators?.etag) headers.set('If-None-Match', options.validators.etag);
  if (options.validators?.lastModified) headers.set('If-Modified-Since', options.validators.lastModified);
  return headers;
}

/** A 304 may omit validators; the ones we sent stay valid then. */
function validatorsOf(headers: Headers, previous: Validators | undefined): Validators {
  const etag = headers.get('etag') ?? previous?.etag;
  const lastModified = headers.get('last-modified') ?? previous?.lastModified;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function tooLarge(maxBytes: number): FetchOutcome {
  return { kind: 'error', errorKind: 'too-large', message: `feed is larger than ${maxBytes} bytes` };
}

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the feed server',
  ENOTFOUND: 'feed host not found',
  EAI_AGAIN: 'feed host lookup failed',
  UND_ERR_SOCKET: 'connection closed by the feed server',
  UND_ERR_CONNECT_TIMEOUT: 'could not connect to the feed server',
  CERT_HAS_EXPIRED: 'feed server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'feed server certificate is not trusted',
};

/** undici hides the reason under `cause`; users get a short phrase, never a stack or internals. */
function networkMessage(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return (code && NETWORK_MESSAGES[code]) ?? 'network error reaching the feed';
}
