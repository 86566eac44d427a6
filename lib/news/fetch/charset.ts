/**
 * Turns feed bytes into text. The charset comes from the Content-Type header, else from the XML
 * declaration's `encoding`, else UTF-8: the order XML-over-HTTP uses (RFC 7303). Unknown labels fall
 * back to UTF-8 rather than failing, so a typo in a feed's header does not lose the whole feed.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null): string {
  return feedDecoder(bytes, contentType)(bytes, true);
}

/** Decodes the next chunk of a body; `end` on the last one flushes a character split across chunks. */
export type FeedDecode = (chunk: Uint8Array, end?: boolean) => string;

/** A decoder for a body that starts with `head`, its encoding chosen as decodeFeedBytes says. */
export function feedDecoder(head: Uint8Array, contentType?: string | null): FeedDecode {
  const label = encodingFromByteOrderMark(head) ?? charsetFromContentType(contentType) ?? encodingFromXmlDeclaration(head) ?? 'utf-8';
  const decoder = decoderFor(label);
  const windows1252 = decoder.encoding === 'windows-1252';
  return (chunk, end = false) => {
    const text = decoder.decode(chunk, { stream: !end });
    return windows1252 ? fixWindows1252(text) : text;
  };
}

/** What windows-1252 puts at 0x80–0x9F (WHATWG index); the five unassigned bytes keep their C1 code point. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder decodes windows-1252 (also what `iso-8859-1` and `us-ascii` labels mean
 * on the web) as Latin-1, turning curly quotes, dashes and the euro sign into C1 controls
 * (nodejs/node#56542). Feeds from Windows-based CMSes use exactly those bytes, so map them here.
 */
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

function decoderFor(label: string): TextDecoder {
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** A byte order mark is unambiguous and outranks any label (WHATWG Encoding "decode"). */
function encodingFromByteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

export function charsetFromContentType(contentType?: string | null): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1];
}

/** The declaration is ASCII by definition, so the first bytes can be read before the charset is known. */
export function encodingFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 256));
  const declaration = /^\uFEFF?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  // A declaration readable as ASCII proves the bytes are not UTF-16, whatever it says (WHATWG
  // treats such a label as UTF-8 too); believing it would turn the whole feed into garbage.
  const label = declaration?.[1];
  return label && /^utf-16/i.test(label) ? 'utf-8' : label;
}
