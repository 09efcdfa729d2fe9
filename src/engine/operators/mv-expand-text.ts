/**
 * `mv-expand T = E to typeof(string)` where E reads one string column and nothing else of the row
 * (`split(C, " ")`, `parse_json(C).Tags`, `J.Tags` with J = parse_json(C)): E is evaluated once per distinct
 * string, and its elements become output dictionary codes once per distinct string, so there is no array
 * of Values and no dictionary lookup per row. A JSON path over the text is read straight from it
 * (values/json-path.ts finds the array, its plain string elements are sliced out, no document is parsed);
 * anything else takes mv-expand's general conversion (`generalList`), so the rows equal the general path's
 * (test/engine/json-path.test.ts, test/engine/operators.test.ts).
 */
import type { Expr } from '../../kql/syntax/ast.js';
import { jsonPathSource, textPathValue } from '../compile/json-access.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { pureColumnsOf } from '../compile/vector.js';
import { columnOf } from '../compile/relation.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { stringBytes } from '../storage/builders.js';
import { charge, reserve } from '../memory.js';
import { jsonPathSpan, simpleStringElements, span, SPAN_FOUND, SPAN_NONE } from '../values/json-path.js';
import type { Value } from '../values/value.js';

// (imported bindings read once: under tsx each read of one is a getter call, and these are read per row)
const MASK = LIMIT_CHECK_MASK;
const FOUND = SPAN_FOUND;
const NONE = SPAN_NONE;
const where = span;
const bytesOf = stringBytes;

/**
 * Output dictionary codes of each input row's elements: row i's are `flat[start[i] .. start[i] + count[i])`
 * (rows with the same text share one run), in a dictionary `dict` (with its `index`).
 */
export interface CodeLists {
  start: Int32Array;
  count: Int32Array;
  flat: Int32Array;
  dict: string[];
  index: Map<string, number>;
}

/**
 * The code lists of item `e` over physical rows `rows`, or undefined when it is not a JSON path over text.
 * `generalList` is mv-expand's own list of a value (elements converted to string).
 */
export function textCodeLists(e: Expr, s: CompileScope, rows: Int32Array, generalList: (v: Value) => Value[]): CodeLists | undefined {
  // each row's key (a distinct string's code, or a distinct value's slot) and the string list of a key
  let keys: Int32Array;
  let keyCount: number;
  let listAt: (key: number, row: number) => string[];
  const strings: string[] = [];
  const src = jsonPathSource(e, s);
  const bare = strip(e);
  const named = bare.kind === 'NameRef' ? columnOf(s.rel, bare.name) : undefined;
  if (src) {
    // a JSON path over text: read from the text
    const { dict: texts, codes } = src.text;
    const path = src.path;
    keys = codes;
    keyCount = texts.length;
    listAt = (key) => {
      const t = texts[key]!;
      const found = jsonPathSpan(t, path);
      if (found === FOUND && where.simple && simpleStringElements(t, where.start, where.end, strings)) return strings;
      return generalList(found === NONE ? null : textPathValue(t, path)).map(asText);
    };
  } else if (named?.type === 'dynamic' && named.perString) {
    // a column made once per distinct string (`extend W = split(C, " ")`): once per distinct value
    const { slots, values } = named.perString;
    keys = slots;
    keyCount = values.length;
    listAt = (key) => generalList(values[key]!).map(asText);
  } else {
    // E of one string column (or of a JSON column's text), at the first row holding each string
    const cols = pureColumnsOf(e, s);
    const col = cols?.size === 1 ? columnOf(s.rel, [...cols][0]!) : undefined;
    const text = col?.type === 'string' ? col : col?.type === 'dynamic' ? col.jsonText : undefined;
    if (!text) return undefined;
    const f = compileExpr(e, s).eval;
    keys = text.codes;
    keyCount = text.dict.length;
    listAt = (_key, row) => generalList(f(row)).map(asText);
  }
  const n = rows.length;
  const dict: string[] = [];
  const index = new Map<string, number>();
  let held = 0;
  // each key's run in `flat` (slot = order of first use)
  const dense = keyCount <= 4 * n + 1024;
  const memo = dense ? new Int32Array(keyCount).fill(-1) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  let slotStart = new Int32Array(1024);
  let slotCount = new Int32Array(1024);
  let slots = 0;
  let flat = new Int32Array(1024);
  let used = 0;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  reserve(8 * n);
  for (let i = 0; i < n; i++) {
    if ((i & MASK) === MASK) checkLimits(s.rt);
    const code = keys[rows[i]!]!;
    let slot = memo ? memo[code]! : (sparse!.get(code) ?? -1);
    if (slot < 0) {
      const list = listAt(code, rows[i]!);
      if (slots === slotStart.length) {
        slotStart = grow(slotStart);
        slotCount = grow(slotCount);
      }
      while (used + list.length > flat.length) flat = grow(flat);
      slot = slots++;
      slotStart[slot] = used;
      slotCount[slot] = list.length;
      for (let k = 0; k < list.length; k++) {
        const x = list[k]!;
        let c = index.get(x);
        if (c === undefined) {
          index.set(x, (c = dict.length));
          dict.push(x);
          held += bytesOf(x);
        }
        flat[used++] = c;
      }
      if (memo) memo[code] = slot;
      else sparse!.set(code, slot);
    }
    start[i] = slotStart[slot]!;
    count[i] = slotCount[slot]!;
  }
  charge(held + 4 * used);
  return { start, count, flat, dict, index };
}

/** An element as the string column holds it (typed-builder's rule: null is ''). */
function asText(v: Value): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function strip(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
