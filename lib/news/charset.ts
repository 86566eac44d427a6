/**
 * Turns feed bytes into text. The charset comes from the Content-Type header, else from the XML
 * declaration's `encoding`, else UTF-8: the order XML-over-HTTP uses (RFC 7303). Unknown labels fall
 * back to UTF-8 rather than failing, so a typo in a feed's header does not lose the whole feed.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null): string {
  const label =
    encodingFromByteOrderMark(bytes) ?? charsetFromContentType(contentType) ?? encodingFromXmlDeclaration(bytes) ?? 'utf-8';
  return decoderFor(label).decode(bytes);
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
  return declaration?.[1];
}
