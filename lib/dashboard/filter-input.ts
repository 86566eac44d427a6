import { parseQuery, type ParsedQuery } from '@/lib/contract/filters';

export type FilterCheck = { ok: true; q: string; query: ParsedQuery | null } | { ok: false; message: string };

/**
 * The Filter box, checked with the same parser the server uses so a filter the API would refuse is
 * explained here and never sent. An empty box means no filter (the `q` parameter is left out).
 */
export function checkFilter(input: string): FilterCheck {
  const q = input.trim();
  if (q === '') return { ok: true, q: '', query: null };
  const parsed = parseQuery(q);
  if (parsed.ok) return { ok: true, q, query: parsed.query };
  // The API's messages name the parameter ("q has …"); people know the box as "the filter".
  const reason = parsed.message.replace(/^q /, 'The filter ');
  return { ok: false, message: `${reason}. Use words, "a phrase" in double quotes, or -word to exclude.` };
}
