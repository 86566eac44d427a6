import { z } from 'zod';
import { DEFAULT_SYMBOL, SYMBOL_PATTERN } from '@/lib/contract/symbols';

export { DEFAULT_SYMBOL };

/** The contract's `symbol` rule, with a message for people, so bad input is refused before any request. */
export const symbolInputSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(SYMBOL_PATTERN, {
    message:
      'Use 1–12 letters, digits, ".", "=" or "-", optionally starting with "^" (e.g. TSLA, BRK.B, ^GSPC, BTC-USD, EURUSD=X).',
  });

export type SymbolCheck = { ok: true; symbol: string } | { ok: false; message: string };

export function checkSymbol(input: string): SymbolCheck {
  if (input.trim() === '') return { ok: false, message: 'Enter a ticker symbol, e.g. TSLA.' };
  const parsed = symbolInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, symbol: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message ?? 'Not a valid ticker symbol.' };
}
