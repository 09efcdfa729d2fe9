/**
 * Property-bag functions whose keys may be JSONPath expressions (`$.a.b`, `$['a']`): bag_has_key,
 * bag_remove_keys, bag_set_key, bag_keys, bag_merge. A plain key names a top-level property. And treepath().
 */
import { valueToDynamic } from '../values/format.js';
import type { DynamicValue } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';
import { ownValue, setOwn } from '../../common/own-keys.js';

type Bag = Record<string, DynamicValue>;

const isBag = (v: unknown): v is Bag => !!v && typeof v === 'object' && !Array.isArray(v);

/** The property names along a key: `key` → [key]; `$.a['b']` → [a, b]; null for a path we cannot read. */
export function keyPath(key: string): string[] | null {
  if (!key.startsWith('$')) return [key];
  const out: string[] = [];
  const re = /\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < key.length) {
    const m = re.exec(key);
    if (!m) return null;
    out.push(m[1] ?? m[2] ?? m[3]!);
  }
  return out.length ? out : null;
}

function hasPath(bag: Bag, path: string[]): boolean {
  let cur: DynamicValue = bag;
  for (const k of path) {
    if (!isBag(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return false;
    cur = cur[k]!;
  }
  return true;
}

/** A copy of `bag` without the property at `path` (the bags along the way are copied, nothing else). */
function withoutPath(bag: Bag, path: string[]): Bag {
  const [head, ...rest] = path;
  if (!Object.prototype.hasOwnProperty.call(bag, head!)) return bag;
  const out = { ...bag };
  if (!rest.length) delete out[head!];
  else if (isBag(out[head!])) setOwn(out, head!, withoutPath(out[head!] as Bag, rest));
  return out;
}

/** A copy of `bag` with `value` at `path`, creating the bags along the way. */
function withPath(bag: Bag, path: string[], value: DynamicValue): Bag {
  const [head, ...rest] = path;
  const out = { ...bag };
  const old = ownValue(out, head!);
  setOwn(out, head!, rest.length ? withPath(isBag(old) ? old : {}, rest, value) : value);
  return out;
}

/**
 * treepath(v): the path of every node below the root, parents before children: `['key']` for a property,
 * `[0]` for the elements of an array, which share one path (each element's own paths merged, each once).
 * The reference's examples: {"prop1":[1,2,3,4], "prop2":"value2"} gives ['prop1'], ['prop1'][0], ['prop2'].
 */
function treePaths(v: DynamicValue, prefix: string, out: Set<string>): void {
  if (Array.isArray(v)) {
    if (!v.length) return;
    const at = `${prefix}[0]`;
    out.add(at);
    for (const e of v) treePaths(e, at, out);
  } else if (isBag(v)) {
    for (const [k, child] of Object.entries(v)) {
      const at = `${prefix}['${k}']`;
      out.add(at);
      treePaths(child, at, out);
    }
  }
}

export const BAG_FUNCTIONS: ScalarFunction[] = [
  fn('treepath', 1, 1, ([v]) => {
    if (v === null || v === undefined) return null;
    const out = new Set<string>();
    treePaths(v as DynamicValue, '', out);
    return [...out];
  }),
  fn('bag_keys', 1, 1, ([b]) => (isBag(b) ? Object.keys(b) : null)),
  fn('bag_has_key', 2, 2, ([b, k]) => {
    if (!isBag(b)) return null;
    const path = keyPath(String(k ?? ''));
    return path ? hasPath(b, path) : null;
  }),
  fn('bag_merge', 1, 64, (args) => {
    // the first bag that has a key wins
    const out: Bag = {};
    for (const b of args) if (isBag(b)) for (const [k, v] of Object.entries(b)) if (!Object.hasOwn(out, k)) setOwn(out, k, v);
    return out;
  }),
  fn('bag_remove_keys', 2, 2, ([b, keys]) => {
    if (!isBag(b)) return null;
    let out: Bag = b;
    for (const k of Array.isArray(keys) ? keys : []) {
      const path = typeof k === 'string' ? keyPath(k) : null;
      if (path) out = withoutPath(out, path);
    }
    return out;
  }),
  fn('bag_set_key', 3, 3, ([b, k, v], types) => {
    if (!isBag(b)) return null;
    const path = keyPath(String(k ?? ''));
    return path ? withPath(b, path, valueToDynamic(v, types[2]!)) : null;
  }),
];


