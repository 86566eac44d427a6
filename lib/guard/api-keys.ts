import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys (MCP_API_KEYS). Keys are compared as SHA-256 digests with timingSafeEqual, against every
 * configured key without stopping at a match, so neither the content nor the length of a key nor
 * which key matched shows in the response time. Keys are never logged; a matched key is known
 * elsewhere only by its `keyId` (a digest prefix), which is safe to use in limits and logs.
 */

export type PresentedKey = { kind: 'none' } | { kind: 'malformed' } | { kind: 'value'; value: string };

/** Longest credential looked at; anything longer cannot be a configured key (they are ≤ 256). */
const MAX_PRESENTED = 1024;

/** `X-API-Key: k` or `Authorization: Bearer k`; X-API-Key wins when both are sent. */
export function presentedKey(headers: Headers): PresentedKey {
  const header = headers.get('x-api-key');
  if (header !== null) {
    const value = header.trim();
    return value && value.length <= MAX_PRESENTED ? { kind: 'value', value } : { kind: 'malformed' };
  }
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    return match && match[1]!.length <= MAX_PRESENTED ? { kind: 'value', value: match[1]! } : { kind: 'malformed' };
  }
  return { kind: 'none' };
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

let cached: { source: readonly string[]; digests: Buffer[] } | undefined;
function configuredDigests(keys: readonly string[]): Buffer[] {
  if (cached?.source !== keys) cached = { source: keys, digests: keys.map(digest) };
  return cached.digests;
}

/** The matching key's id, or null. */
export function matchKey(presented: string, keys: readonly string[]): string | null {
  const candidate = digest(presented);
  let matched: Buffer | null = null;
  for (const known of configuredDigests(keys)) {
    if (timingSafeEqual(candidate, known)) matched = known;
  }
  return matched ? keyId(matched) : null;
}

function keyId(keyDigest: Buffer): string {
  return keyDigest.subarray(0, 8).toString('hex');
}
