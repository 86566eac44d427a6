/**
 * Symbols and watchlists for the scale scenarios: valid tickers (contract syntax
 * ^?[A-Z0-9][A-Z0-9.=-]{0,11}) that the bench's feed server answers for, and watchlists drawn
 * with a fixed seed so every run and every server gets the same ones.
 */

/** The four symbols of the default bench. */
export const FEW_SYMBOLS = ['TSLA', 'AAPL', 'MSFT', 'NVDA'];

/** `count` distinct symbols, e.g. Q0 … Q999 (prefix keeps scenarios' symbol sets apart). */
export function symbolSet(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** A small seeded PRNG (mulberry32): the same watchlists on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` watchlists of `size` distinct symbols each, drawn from `pool`. */
export function watchlists(pool, count, size, seed = 15) {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const picked = new Set();
    while (picked.size < Math.min(size, pool.length)) picked.add(pool[Math.floor(next() * pool.length)]);
    return [...picked];
  });
}
