import { gunzipSync } from 'node:zlib';
import { decodeFeedBytes, feedDecoder, type FeedDecode } from './charset';

/** The body went over the byte cap. */
export class TooLarge extends Error {}

/** Enough bytes for a byte order mark, the gzip magic number and an XML declaration. */
const HEAD_BYTES = 256;

/**
 * A feed body as text, read through its stream so an oversized one is cancelled rather than
 * buffered, and decoded chunk by chunk as it arrives: copying a 5 MiB body whole and then decoding
 * it in one go held the event loop for about 35 ms here, in the way of every open stream.
 * Throws TooLarge past `maxBytes`.
 */
export async function readFeedText(body: ReadableStream<Uint8Array> | null, maxBytes: number, contentType: string | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  let head: Uint8Array[] = [];
  let decode: FeedDecode | undefined;
  let gzip = false;
  const parts: string[] = [];
  let total = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      total += next.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new TooLarge();
      }
      if (decode) {
        parts.push(decode(next.value));
        continue;
      }
      head.push(next.value);
      if (gzip || total < HEAD_BYTES) continue;
      const start = Buffer.concat(head);
      gzip = isGzip(start);
      if (gzip) continue;
      decode = feedDecoder(start, contentType);
      parts.push(decode(start));
      head = [];
    }
  } finally {
    reader.releaseLock();
  }
  if (!decode) return decodeFeedBytes(gunzipIfUnlabelled(Buffer.concat(head), maxBytes), contentType);
  parts.push(decode(new Uint8Array(0), true));
  return parts.join('');
}

/** Some servers send .xml.gz files without Content-Encoding; the gzip magic number gives them away. */
function gunzipIfUnlabelled(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) throw new TooLarge();
    return bytes; // not really gzip: let the parser reject it with a clear message
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}
