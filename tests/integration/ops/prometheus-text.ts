/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written for tests because no
 * parser is installed and promtool is not available. It rejects what `promtool check metrics`
 * and the Prometheus scraper reject: bad names, bad escapes, unparsable values, TYPE after samples,
 * duplicate HELP/TYPE, interleaved families, duplicate series, negative counters, and histograms
 * whose buckets are not cumulative or whose +Inf bucket differs from _count.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Values are read the way Prometheus does (Go's strconv.ParseFloat: NaN and Inf in any case). */
function parseValue(raw: string, where: string): number {
  if (/^nan$/i.test(raw)) return Number.NaN;
  if (/^\+?inf(inity)?$/i.test(raw)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(raw)) return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`${where}: bad value ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Parses `{a="x",b="y"}` starting at `text[0] === '{'`; returns labels and the rest of the line. */
function parseLabels(text: string, where: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!nameMatch) throw new Error(`${where}: bad label name at ${JSON.stringify(text.slice(i))}`);
    const name = nameMatch[0];
    if (name.startsWith('__')) throw new Error(`${where}: reserved label name ${name}`);
    if (name in labels) throw new Error(`${where}: duplicate label ${name}`);
    i += name.length;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new Error(`${where}: expected =" after label ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`${where}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`${where}: bad escape \\${next}`);
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    labels[name] = value;
    i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`${where}: expected , or } after label ${name}`);
  }
}

/** The family a sample belongs to, given the declared types. */
function familyOf(sampleName: string, types: Map<string, Family['type']>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      const type = types.get(base);
      if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return base;
    }
  }
  return sampleName;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, Family>();
  const types = new Map<string, Family['type']>();
  const seenSeries = new Set<string>();
  const closed = new Set<string>();
  let current: string | undefined;

  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const enter = (name: string, where: string) => {
    if (current === name) return;
    if (closed.has(name)) throw new Error(`${where}: family ${name} is interleaved with another`);
    if (current) closed.add(current);
    current = name;
  };

  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1}`;
      if (line.trim() === '') return;
      if (line.startsWith('#')) {
        const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
        if (!m) return; // other comments are allowed
        const [, keyword, name = '', rest = ''] = m;
        if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name ${name}`);
        enter(name, where);
        const f = family(name);
        if (keyword === 'HELP') {
          if (f.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
          if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`${where}: bad escape in HELP`);
          f.help = rest;
        } else {
          if (types.has(name)) throw new Error(`${where}: second TYPE for ${name}`);
          if (f.samples.length) throw new Error(`${where}: TYPE for ${name} after its samples`);
          if (!TYPES.has(rest.trim())) throw new Error(`${where}: unknown type ${rest}`);
          types.set(name, rest.trim() as Family['type']);
          f.type = rest.trim() as Family['type'];
        }
        return;
      }
      const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
      if (!nameMatch) throw new Error(`${where}: bad sample line ${JSON.stringify(line)}`);
      const name = nameMatch[0];
      let rest = line.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, where));
      const parts = rest.trim().split(/\s+/);
      if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`${where}: expected " value [timestamp]"`);
      const value = parseValue(parts[0] ?? '', where);
      if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`${where}: bad timestamp ${parts[1]}`);
      for (const l of Object.keys(labels)) if (!LABEL_NAME.test(l)) throw new Error(`${where}: bad label ${l}`);
      const familyName = familyOf(name, types);
      enter(familyName, where);
      const f = family(familyName);
      const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seenSeries.has(series)) throw new Error(`${where}: duplicate series ${series}`);
      seenSeries.add(series);
      if (f.type === 'counter' && (value < 0 || Number.isNaN(value))) throw new Error(`${where}: counter ${name} is ${value}`);
      if (f.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) throw new Error(`${where}: bucket without le`);
      f.samples.push({ name, labels, value });
    });

  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>();
  const keyOf = (s: Sample) => JSON.stringify(Object.entries(s.labels).filter(([k]) => k !== 'le').sort());
  for (const s of f.samples) groups.set(keyOf(s), [...(groups.get(keyOf(s)) ?? []), s]);
  for (const [key, samples] of groups) {
    const buckets = samples
      .filter((s) => s.name === `${f.name}_bucket`)
      .map((s) => ({ le: parseValue(s.labels.le ?? '', f.name), value: s.value }))
      .sort((a, b) => a.le - b.le);
    const count = samples.find((s) => s.name === `${f.name}_count`);
    const sum = samples.find((s) => s.name === `${f.name}_sum`);
    if (!count || !sum) throw new Error(`${f.name}${key}: histogram without _count or _sum`);
    if (buckets.at(-1)?.le !== Number.POSITIVE_INFINITY) throw new Error(`${f.name}${key}: no +Inf bucket`);
    buckets.forEach((b, i) => {
      if (i > 0 && b.value < (buckets[i - 1]?.value ?? 0)) throw new Error(`${f.name}${key}: buckets not cumulative`);
    });
    if (buckets.at(-1)?.value !== count.value) throw new Error(`${f.name}${key}: +Inf bucket differs from _count`);
  }
}

/** The value of one series (labels must match exactly the given subset), or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}

/** The sum over every series of `name` whose labels include `labels`. */
export function sumOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
  }
  return total;
}
