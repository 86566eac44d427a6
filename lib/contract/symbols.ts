import { z } from 'zod';

/** Contract §1: the ticker grammar (TSLA, BRK.B, ^GSPC, BTC-USD, EURUSD=X). */
export const SYMBOL_PATTERN = /^\^?[A-Z0-9][A-Z0-9.=-]{0,11}$/;
export const SYMBOL_EXAMPLES = 'TSLA, BRK.B, ^GSPC, BTC-USD, EURUSD=X';
export const DEFAULT_SYMBOL = 'TSLA';
/** Contract §6.3: most symbols in one watchlist. */
export const MAX_SYMBOLS = 25;

/** What every symbol is compared and stored as: trimmed, upper-cased. */
export function normaliseSymbol(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isSymbol(value: string): boolean {
  return SYMBOL_PATTERN.test(value);
}

/** The same symbols in the same order (a watchlist's order is the order its tags are listed in). */
export function sameSymbols(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((symbol, i) => symbol === b[i]);
}

/**
 * One ticker as a zod schema. `field` prefixes the messages (query strings name their field; the
 * MCP SDK prefixes tool-argument messages with the path itself, so tools pass none).
 */
export function symbolSchema(field?: string) {
  const name = field ? `${field} ` : '';
  return z
    .string({ error: `${name}must be a ticker string such as ${SYMBOL_EXAMPLES}` })
    .max(32, { error: `${name}must be at most 12 characters: letters, digits and . = - (optionally starting with ^)` })
    .transform(normaliseSymbol)
    .refine(isSymbol, { error: `${name}must be a ticker matching ^\\^?[A-Z0-9][A-Z0-9.=-]{0,11}$ (e.g. ${SYMBOL_EXAMPLES})` });
}
