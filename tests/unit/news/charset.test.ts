import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBytes, encodingFromXmlDeclaration } from '@/lib/news/fetch/charset';

const latin1Feed = (declared: string) => Buffer.from(`<?xml version="1.0" encoding="${declared}"?><t>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale</t>`, 'latin1');

describe('decodeFeedBytes: header, then XML declaration, then UTF-8', () => {
  it('uses the Content-Type charset when present', () => {
    const bytes = Buffer.from('<t>Soci\u00e9t\u00e9</t>', 'latin1');
    expect(decodeFeedBytes(bytes, 'application/rss+xml; charset=ISO-8859-1')).toBe('<t>Soci\u00e9t\u00e9</t>');
    expect(decodeFeedBytes(bytes, 'text/xml;charset="iso-8859-1"')).toBe('<t>Soci\u00e9t\u00e9</t>');
  });

  it('the header outranks the XML declaration', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>\u00e9</t>', 'utf8');
    expect(decodeFeedBytes(bytes, 'application/xml; charset=utf-8')).toContain('<t>\u00e9</t>');
  });

  it('falls back to the XML declaration when the header has no charset', () => {
    expect(decodeFeedBytes(latin1Feed('ISO-8859-1'), 'application/atom+xml')).toContain('Soci\u00e9t\u00e9 G\u00e9n\u00e9rale');
    expect(decodeFeedBytes(latin1Feed('iso-8859-1'), null)).toContain('Soci\u00e9t\u00e9');
  });

  it('accepts a single-quoted declaration', () => {
    const bytes = Buffer.from("<?xml version='1.0' encoding='ISO-8859-1' ?><t>\u00e9</t>", 'latin1');
    expect(decodeFeedBytes(bytes)).toContain('<t>\u00e9</t>');
  });

  it('defaults to UTF-8', () => {
    expect(decodeFeedBytes(Buffer.from('<t>\u20ac \u00e9 \u{1F4C8}</t>', 'utf8'))).toBe('<t>\u20ac \u00e9 \u{1F4C8}</t>');
  });

  it('a BOM outranks any label', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<t>\u00e9</t>', 'utf8')]);
    expect(decodeFeedBytes(utf8, 'text/xml; charset=iso-8859-1')).toBe('<t>\u00e9</t>');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><t>\u00e9</t>', 'utf16le')]);
    expect(decodeFeedBytes(utf16, 'text/xml')).toBe('<?xml version="1.0" encoding="UTF-16"?><t>\u00e9</t>');
  });

  it('an unknown label falls back to UTF-8 instead of failing', () => {
    expect(decodeFeedBytes(Buffer.from('<t>ok \u00e9</t>', 'utf8'), 'text/xml; charset=no-such-charset')).toBe('<t>ok \u00e9</t>');
    const bytes = Buffer.from('<?xml version="1.0" encoding="x-made-up"?><t>\u00e9</t>', 'utf8');
    expect(decodeFeedBytes(bytes)).toContain('<t>\u00e9</t>');
  });

  // A declaration found by reading bytes as ASCII proves the document is not UTF-16 (real UTF-16
  // would interleave NUL bytes); WHATWG and browsers read such a label as UTF-8.
  it('a UTF-16 declaration in an ASCII-compatible document is read as UTF-8', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-16"?><t>\u00e9</t>', 'utf8');
    expect(decodeFeedBytes(bytes, 'application/rss+xml')).toContain('<t>\u00e9</t>');
  });

  it('only reads a declaration at the very start of the document', () => {
    const bytes = Buffer.from('<t>\u00e9</t><?xml version="1.0" encoding="ISO-8859-1"?>', 'utf8');
    expect(decodeFeedBytes(bytes)).toBe('<t>\u00e9</t><?xml version="1.0" encoding="ISO-8859-1"?>');
  });

  // Node 20's TextDecoder maps windows-1252 0x80-0x9F to C1 controls (nodejs/node#56542);
  // decodeFeedBytes must correct that.
  it('windows-1252 bytes 0x80-0x9F decode to the WHATWG characters (\u20ac, \u2019, \u2013)', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x92, 0x20, 0x96]);
    expect(decodeFeedBytes(bytes, 'text/plain; charset=windows-1252')).toBe('\u20ac \u2019 \u2013');
  });
});

describe('charset helpers', () => {
  it.each([
    ['text/xml; charset=UTF-8', 'UTF-8'],
    ['text/xml;charset="windows-1252"', 'windows-1252'],
    ['application/rss+xml; foo=bar; Charset = iso-8859-1', 'iso-8859-1'],
    ['application/rss+xml', undefined],
    ['', undefined],
  ])('charsetFromContentType(%j) = %j', (header, expected) => {
    expect(charsetFromContentType(header)).toBe(expected);
  });

  it('encodingFromXmlDeclaration reads only the declaration', () => {
    expect(encodingFromXmlDeclaration(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1" ?><feed/>'))).toBe('ISO-8859-1');
    expect(encodingFromXmlDeclaration(Buffer.from('<?xml version="1.0"?><feed/>'))).toBeUndefined();
    expect(encodingFromXmlDeclaration(Buffer.from('<feed encoding="latin1"/>'))).toBeUndefined();
  });
});
