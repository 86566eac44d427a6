/**
 * Query parameters as a plain object for zod. A repeated parameter is kept as an array so the
 * schema refuses it instead of silently using one of the values.
 *
 * Every name is taken literally (contract §6.5). The object has no prototype: on an ordinary `{}`,
 * `out.__proto__ = x` would call the prototype setter and the parameter would vanish instead of
 * being refused as unknown, and a name never sent, such as `constructor`, would still read as a value.
 */
export function queryObject(url: URL, ignore: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const name of new Set(url.searchParams.keys())) {
    if (ignore.includes(name)) continue;
    const values = url.searchParams.getAll(name);
    out[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
