/**
 * Sigma rule YAML (Sigma specification v2) → a SigmaRule: its metadata and its detection as written, with
 * the file line of each detection item (for diagnostics). Nothing is interpreted here beyond the YAML's shape:
 * a search identifier holds a map (its field items AND-ed), a list of maps (OR-ed) or a list of plain values
 * (keywords). Rule files are data: nothing in them is executed.
 */
import type * as Yaml from 'yaml';
import type { Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { lazyPackage } from '../../common/lazy-package.js';

const yaml = lazyPackage<typeof Yaml>('yaml');
// yaml's node tests, as type guards, through the package loaded on first use
function isMap(n: unknown): n is YAMLMap { return yaml().isMap(n); }
function isPair(n: unknown): n is Pair { return yaml().isPair(n); }
function isScalar(n: unknown): n is Scalar { return yaml().isScalar(n); }
function isSeq(n: unknown): n is YAMLSeq { return yaml().isSeq(n); }

export interface SigmaItem {
  /** null for keywords (values searched in any field). */
  field: string | null;
  modifiers: string[];
  /** The values as YAML gave them (string, number, boolean, null). */
  values: unknown[];
  line: number;
}

/** A search identifier's definition: its items AND-ed, several such groups OR-ed. */
export interface SigmaSearch {
  name: string;
  /** OR of AND-groups. */
  groups: SigmaItem[][];
  line: number;
}

export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

export interface SigmaRule {
  title: string;
  id: string;
  status?: string;
  description?: string;
  references: string[];
  author?: string;
  date?: string;
  modified?: string;
  tags: string[];
  level?: string;
  falsepositives: string[];
  fields: string[];
  license?: string;
  logsource: SigmaLogsource;
  searches: Map<string, SigmaSearch>;
  /** The condition(s): several are OR-ed, as the specification says. */
  conditions: string[];
  conditionLine: number;
  timeframe?: string;
  /** Set when the file is a correlation rule or a filter (meta-rules kqlite does not convert). */
  kind: 'rule' | 'correlation' | 'filter';
}

export type SigmaParse = { ok: true; rule: SigmaRule } | { ok: false; line: number; column: number; message: string };

/** True for YAML that is a Sigma rule: a top-level `logsource:` and `detection:` (or a correlation). */
export function looksLikeSigma(text: string): boolean {
  return (/^logsource\s*:/m.test(text) && /^detection\s*:/m.test(text)) || /^correlation\s*:/m.test(text);
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v instanceof Date ? v.toISOString().slice(0, 10) : undefined);
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(asString).filter((x): x is string => x !== undefined) : typeof v === 'string' ? [v] : []);

function scalarValue(n: Node | null | undefined): unknown {
  if (!n) return null;
  if (isScalar(n)) return n.value instanceof Date ? n.source ?? n.value.toISOString() : n.value;
  return undefined;
}

export function parseSigma(text: string): SigmaParse {
  const lc = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const lineOf = (n: { range?: [number, number, number] | null } | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : 1);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    return { ok: false, line: pos.line, column: pos.col, message: `invalid YAML: ${e.message.split('\n')[0]}` };
  }
  const root = doc.contents;
  if (!isMap(root)) return { ok: false, line: 1, column: 1, message: 'a Sigma rule is a YAML mapping at the top level' };
  const top = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  const title = asString(top['title']);
  if (!title) return { ok: false, line: 1, column: 1, message: "a Sigma rule needs a 'title'" };
  const id = asString(top['id']);
  if (!id) return { ok: false, line: 1, column: 1, message: "no 'id': a rule needs a stable id to be imported and updated" };
  const ls = (top['logsource'] ?? {}) as Record<string, unknown>;
  const rule: SigmaRule = {
    title,
    id,
    references: asList(top['references']),
    tags: asList(top['tags']),
    falsepositives: asList(top['falsepositives']),
    fields: asList(top['fields']),
    logsource: {},
    searches: new Map(),
    conditions: [],
    conditionLine: 1,
    kind: top['correlation'] !== undefined ? 'correlation' : top['filter'] !== undefined ? 'filter' : 'rule',
  };
  for (const k of ['status', 'description', 'author', 'date', 'modified', 'level', 'license'] as const) {
    const v = asString(top[k]);
    if (v !== undefined) rule[k] = v;
  }
  for (const k of ['product', 'category', 'service', 'definition'] as const) {
    const v = asString(ls[k]);
    if (v !== undefined) rule.logsource[k] = v.trim();
  }
  if (rule.kind !== 'rule') return { ok: true, rule };
  const det = root.items.find((p) => isScalar(p.key) && p.key.value === 'detection');
  if (!det || !isMap(det.value)) return { ok: false, line: lineOf(det?.key as Node), column: 1, message: "'detection' must be a mapping of search identifiers and a 'condition'" };
  for (const pair of det.value.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const line = lineOf(pair.key as Node);
    if (name === 'condition') {
      rule.conditionLine = line;
      const v = pair.value;
      if (isSeq(v)) rule.conditions = v.items.map((x) => String(scalarValue(x as Node) ?? ''));
      else rule.conditions = [String(scalarValue(v as Node) ?? '')];
      continue;
    }
    if (name === 'timeframe') {
      rule.timeframe = String(scalarValue(pair.value as Node) ?? '');
      continue;
    }
    const search = readSearch(name, pair.value as Node, line, lineOf);
    if (typeof search === 'string') return { ok: false, line, column: 1, message: search };
    rule.searches.set(name, search);
  }
  if (!rule.conditions.length || rule.conditions.some((c) => !c.trim())) return { ok: false, line: rule.conditions.length ? rule.conditionLine : lineOf(det.key as Node), column: 1, message: "the detection has no 'condition'" };
  return { ok: true, rule };
}

function readItem(key: string, value: Node | null, line: number): SigmaItem | string {
  const [field, ...modifiers] = key.split('|');
  const values: unknown[] = [];
  if (isSeq(value)) {
    for (const x of value.items) {
      const v = scalarValue(x as Node);
      if (v === undefined) return `the values of '${key}' must be plain values, not nested lists or maps`;
      values.push(v);
    }
  } else {
    const v = scalarValue(value);
    if (v === undefined) return `the value of '${key}' must be a plain value or a list of them`;
    values.push(v);
  }
  return { field: field === '' ? null : field!, modifiers: modifiers.map((m) => m.trim()), values, line };
}

function readMap(m: Node, lineOf: (n: Node) => number): SigmaItem[] | string {
  if (!isMap(m)) return 'expected a mapping of fields to values';
  const items: SigmaItem[] = [];
  for (const p of m.items) {
    if (!isPair(p) || !isScalar(p.key)) return 'a detection map key must be a field name';
    const item = readItem(String(p.key.value), p.value as Node | null, lineOf(p.key as Node));
    if (typeof item === 'string') return item;
    items.push(item);
  }
  return items;
}

function readSearch(name: string, value: Node, line: number, lineOf: (n: Node) => number): SigmaSearch | string {
  if (isMap(value)) {
    const items = readMap(value, lineOf);
    return typeof items === 'string' ? `search '${name}': ${items}` : { name, groups: [items], line };
  }
  if (isSeq(value)) {
    if (value.items.every((x) => isMap(x))) {
      const groups: SigmaItem[][] = [];
      for (const x of value.items) {
        const items = readMap(x as Node, lineOf);
        if (typeof items === 'string') return `search '${name}': ${items}`;
        groups.push(items);
      }
      return { name, groups, line };
    }
    if (value.items.every((x) => isScalar(x))) {
      // keywords: a plain list of values, searched in any field
      return { name, groups: [[{ field: null, modifiers: [], values: value.items.map((x) => scalarValue(x as Node)), line }]], line };
    }
    return `search '${name}' mixes maps and plain values in one list`;
  }
  if (isScalar(value)) return { name, groups: [[{ field: null, modifiers: [], values: [scalarValue(value)], line }]], line };
  return `search '${name}' must be a map, a list of maps or a list of values`;
}
