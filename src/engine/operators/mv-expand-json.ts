/**
 * `mv-expand T = J.path to typeof(string)` (J = parse_json(C) of a string column, or `parse_json(C).path`):
 * each distinct text's elements become output dictionary codes straight from the text (values/json-path.ts
 * finds the array; its string elements are sliced out), with no parsed document, no array of Values per
 * row and no dictionary lookup per output row. Anything but an array of plain strings takes the general
 * conversion (`generalList`), so the rows equal the general path's (test/engine/json-path.test.ts).
 */
import type { Expr } from '../../kql/syntax/ast.js';
import { jsonPathSource, textPathValue } from '../compile/json-access.js';
import type { CompileScope } from '../compile/expr.js';
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
export function jsonStringCodeLists(e: Expr, s: CompileScope, rows: Int32Array, generalList: (v: Value) => Value[]): CodeLists | undefined {
  const src = jsonPathSource(e, s);
  if (!src) return undefined;
  const { text, path } = src;
  const { dict: texts, codes: textCodes } = text;
  const n = rows.length;
  const dict: string[] = [];
  const index = new Map<string, number>();
  let held = 0;
  // each distinct text's run in `flat` (slot = order of first use)
  const dense = texts.length <= 4 * n + 1024;
  const memo = dense ? new Int32Array(texts.length).fill(-1) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  let slotStart = new Int32Array(1024);
  let slotCount = new Int32Array(1024);
  let slots = 0;
  let flat = new Int32Array(1024);
  let used = 0;
  const strings: string[] = [];
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  reserve(8 * n);
  for (let i = 0; i < n; i++) {
    if ((i & MASK) === MASK) checkLimits(s.rt);
    const code = textCodes[rows[i]!]!;
    let slot = memo ? memo[code]! : (sparse!.get(code) ?? -1);
    if (slot < 0) {
      const t = texts[code]!;
      const found = jsonPathSpan(t, path);
      let list: string[];
      if (found === FOUND && where.simple && simpleStringElements(t, where.start, where.end, strings)) list = strings;
      else list = generalList(found === NONE ? null : textPathValue(t, path)).map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v)));
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
          held += stringBytes(x);
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

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
