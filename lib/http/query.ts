/**
 * Query parameters as a plain object for zod. A repeated parameter is kept as an array so the
 * schema refuses it instead of silently using one of the values.
 */
export function queryObject(url: URL, ignore: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (ignore.includes(name)) continue;
    const values = url.searchParams.getAll(name);
    out[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
