import { isIP } from 'node:net';
import { matchKey, presentedKey } from './api-keys';

/**
 * Who a request counts against: the API key when a valid one is presented, else the client IP.
 *
 * The IP comes from X-Forwarded-For, read from the right: its last entry is the address the nearest
 * hop saw. Without TRUST_PROXY the middleware deletes any X-Forwarded-For/X-Real-IP the client sent,
 * so `next start` fills X-Forwarded-For with the socket's address and a spoofed header cannot make
 * a client look like someone else. With TRUST_PROXY the last entry is the one the proxy appended. On
 * Vercel, X-Real-IP is the platform's client address (Vercel overwrites it; clients cannot set it).
 */

export interface IdentitySettings {
  apiKeys: readonly string[];
  trustProxy: boolean;
  onVercel: boolean;
}

export function clientIp(headers: Headers, settings: Pick<IdentitySettings, 'onVercel'>): string {
  const vercel = settings.onVercel ? headers.get('x-real-ip')?.trim() : undefined;
  const forwarded = headers.get('x-forwarded-for')?.split(',').pop()?.trim();
  const realIp = headers.get('x-real-ip')?.trim();
  return normaliseIp(vercel || forwarded || realIp || '') ?? 'unknown';
}

/**
 * IPv4-mapped addresses become plain IPv4; IPv6 addresses count per /64, the block one subscriber
 * usually gets, so rotating through it does not escape a limit.
 */
export function normaliseIp(raw: string): string | null {
  const value = raw.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) return mapped[1]!;
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  return `${expandIpv6(value).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(value: string): string[] {
  const [head = '', tail] = value.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail takes two groups.
  const last = right.length ? right : left;
  if (last.length && last[last.length - 1]!.includes('.')) {
    const [a, b, c, d] = last.pop()!.split('.').map(Number) as [number, number, number, number];
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

export function clientId(headers: Headers, settings: IdentitySettings): string {
  if (settings.apiKeys.length > 0) {
    const presented = presentedKey(headers);
    const id = presented.kind === 'value' ? matchKey(presented.value, settings.apiKeys) : null;
    if (id) return `key:${id}`;
  }
  return `ip:${clientIp(headers, settings)}`;
}
