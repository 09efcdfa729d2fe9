/**
 * `mv-expand T = E to typeof(string)` where E reads one string column and nothing else of the row
 * (`split(C, " ")`, `parse_json(C).Tags`, `J.Tags` with J = parse_json(C)): E is evaluated once per distinct
 * string, and its elements become output dictionary codes once per distinct string, so there is no array
 * of Values and no dictionary lookup per row. A JSON path over the text is read straight from it
 * (values/json-path.ts finds the array, its plain string elements are sliced out, no document is parsed);
 * anything else takes mv-expand's general conversion (`generalList`), so the rows equal the general path's
 * (test/engine/json-path.test.ts, test/engine/operators.test.ts).
 */
import { unparen } from '../../kql/syntax/index.js';
import type { Expr } from '../../kql/syntax/ast.js';
import { jsonPathParts, jsonPathSource, textPathValue } from '../compile/json-access.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { pureColumnsOf } from '../compile/vector.js';
import { columnOf } from '../compile/relation.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { stringBytes } from '../storage/builders.js';
import { isPlainJsonDictionary } from '../storage/text-facts.js';
import type { StringColumn } from '../storage/column.js';
import type { ColumnParts } from '../storage/merge.js';
import { partAt, partOffsets } from '../storage/parts.js';
import { charge, reserve } from '../memory.js';
import { jsonPathSpan, span, SPAN_FOUND, SPAN_NONE, type JsonStep } from '../values/json-path.js';
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
  // a JSON path over a where chain's per-extent parts: each part's own dictionary, no concatenation
  const inParts = jsonPathParts(e, s);
  if (inParts) return partsCodeLists(inParts.parts, inParts.path, rows, generalList, s);
  // each row's key (a distinct string's code, or a distinct value's slot) and the string list of a key
  let keys: Int32Array;
  let keyCount: number;
  let listAt: (key: number, row: number) => string[];
  // a JSON path's texts: an array of plain strings is coded from the text in place (no list, no slices)
  let texts: string[] | undefined;
  let path: JsonStep[] = [];
  // the texts' dictionary is known to hold no escapes, control characters or 16-digit runs (text-facts.ts)
  let plain = false;
  // a column made once per distinct string: an array of strings is its own string list (no conversion)
  let perValue: Value[] | undefined;
  const src = jsonPathSource(e, s);
  const bare = unparen(e);
  const named = bare.kind === 'NameRef' ? columnOf(s.rel, bare.name) : undefined;
  if (src) {
    // a JSON path over text: read from the text
    const { dict, codes } = src.text;
    texts = dict;
    path = src.path;
    keys = codes;
    keyCount = dict.length;
    // (texts whose path is not an array of strings in simple text: the general conversion)
    plain = isPlainJsonDictionary(dict);
    listAt = (key) => {
      const t = dict[key]!;
      return generalList(jsonPathSpan(t, path, plain) === NONE ? null : textPathValue(t, path, plain)).map(asText);
    };
  } else if (named?.type === 'dynamic' && named.perString) {
    // a column made once per distinct string (`extend W = split(C, " ")`): once per distinct value
    const { slots, values } = named.perString;
    perValue = values;
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
  const out = new CodeListBuilder();
  // each key's run in `flat` (slot = order of first use)
  const dense = keyCount <= 4 * n + 1024;
  const memo = dense ? new Int32Array(keyCount).fill(-1) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  let slotStart = new Int32Array(1024);
  let slotCount = new Int32Array(1024);
  let slots = 0;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  reserve(8 * n);
  for (let i = 0; i < n; i++) {
    if ((i & MASK) === MASK) checkLimits(s.rt);
    const code = keys[rows[i]!]!;
    let slot = memo ? memo[code]! : (sparse!.get(code) ?? -1);
    if (slot < 0) {
      if (slots === slotStart.length) {
        slotStart = grow(slotStart);
        slotCount = grow(slotCount);
      }
      slot = slots++;
      const from = out.used;
      slotStart[slot] = from;
      const t = texts?.[code];
      if (perValue) {
        if (!out.addStrings(perValue[code]!)) {
          const list = listAt(code, rows[i]!);
          for (let k = 0; k < list.length; k++) out.add(list[k]!);
        }
      } else if (!(t !== undefined && jsonPathSpan(t, path, plain) === FOUND && where.simple && out.addStringArray(t, where.start, where.end))) {
        const list = listAt(code, rows[i]!);
        for (let k = 0; k < list.length; k++) out.add(list[k]!);
      }
      slotCount[slot] = out.used - from;
      if (memo) memo[code] = slot;
      else sparse!.set(code, slot);
    }
    start[i] = slotStart[slot]!;
    count[i] = slotCount[slot]!;
  }
  charge(out.held + 4 * out.used);
  return { start, count, flat: out.flat, dict: out.dict, index: out.index };
}

/**
 * textCodeLists of a JSON path over text kept in parts (a where chain's per-extent survivors): each row's
 * text is found in its part's own dictionary and each distinct string of a part is read once, so the parts'
 * dictionaries are never merged (a million JSON texts hashed into one Map, and their codes copied, for one
 * read each).
 */
function partsCodeLists(parts: ColumnParts, path: JsonStep[], rows: Int32Array, generalList: (v: Value) => Value[], s: CompileScope): CodeLists {
  const offsets = partOffsets(parts);
  const memos: (Int32Array | Map<number, number> | undefined)[] = new Array(parts.entries.length);
  const n = rows.length;
  const out = new CodeListBuilder();
  let slotStart = new Int32Array(1024);
  let slotCount = new Int32Array(1024);
  let slots = 0;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  reserve(8 * n);
  // the part of the previous row (rows usually run through the parts in order)
  let p = -1;
  let from = 0;
  let to = 0;
  let dict: string[] = [];
  let codes: Int32Array = new Int32Array(0);
  let sel: Int32Array | undefined;
  let plain = false;
  let dense: Int32Array | undefined;
  let sparse: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    if ((i & MASK) === MASK) checkLimits(s.rt);
    const r = rows[i]!;
    if (r < from || r >= to) {
      p = partAt(offsets, r);
      from = offsets[p]!;
      to = offsets[p + 1]!;
      const col = parts.entries[p]!.column as StringColumn;
      ({ dict, codes } = col);
      sel = parts.sels[p];
      plain = isPlainJsonDictionary(dict);
      // a slot per distinct string of the part: an array when the part's dictionary is not much larger than its rows read
      let memo = memos[p];
      if (!memo) memos[p] = memo = dict.length <= 4 * (to - from) + 1024 ? new Int32Array(dict.length).fill(-1) : new Map<number, number>();
      dense = memo instanceof Int32Array ? memo : undefined;
      sparse = dense ? undefined : (memo as Map<number, number>);
    }
    const local = r - from;
    const code = codes[sel ? sel[local]! : local]!;
    let slot = dense ? dense[code]! : (sparse!.get(code) ?? -1);
    if (slot < 0) {
      if (slots === slotStart.length) {
        slotStart = grow(slotStart);
        slotCount = grow(slotCount);
      }
      slot = slots++;
      const first = out.used;
      slotStart[slot] = first;
      const t = dict[code]!;
      const found = jsonPathSpan(t, path, plain);
      if (!(found === FOUND && where.simple && out.addStringArray(t, where.start, where.end))) {
        const list = generalList(found === NONE ? null : textPathValue(t, path, plain));
        for (let k = 0; k < list.length; k++) out.add(asText(list[k]!));
      }
      slotCount[slot] = out.used - first;
      if (dense) dense[code] = slot;
      else sparse!.set(code, slot);
    }
    start[i] = slotStart[slot]!;
    count[i] = slotCount[slot]!;
  }
  charge(out.held + 4 * out.used);
  return { start, count, flat: out.flat, dict: out.dict, index: out.index };
}

/** Longest element coded from its span in place; longer ones are sliced and looked up in the Map. */
const SPAN_CODED_MAX = 64;

/**
 * The code lists being built: `flat[0 .. used)`, codes into `dict`/`index`. Elements given as spans of
 * a text are found in an open-addressing table by a hash of the span's characters and compared in place,
 * so an element seen before costs no slice and no Map lookup (a JSON text's tags: a few per text, from a
 * small vocabulary, over a million texts).
 */
class CodeListBuilder {
  flat = new Int32Array(1024);
  used = 0;
  readonly dict: string[] = [];
  readonly index = new Map<string, number>();
  held = 0;
  /** The table: each slot's code (-1 empty) and its string's hash. */
  private slotCodes = new Int32Array(1024).fill(-1);
  private slotHashes = new Int32Array(1024);
  private filled = 0;

  /** Appends string `x`'s code. */
  add(x: string): void {
    this.push(this.codeOf(x));
  }

  private codeOf(x: string): number {
    let c = this.index.get(x);
    if (c === undefined) {
      this.index.set(x, (c = this.dict.length));
      this.dict.push(x);
      this.held += bytesOf(x);
    }
    return c;
  }

  /** Appends the codes of `v`'s elements when it is an array of strings (their own text); false (nothing appended) otherwise. */
  addStrings(v: Value): boolean {
    if (!Array.isArray(v)) return false;
    const from = this.used;
    for (let k = 0; k < v.length; k++) {
      const x: unknown = v[k];
      if (typeof x !== 'string') return this.undo(from);
      this.push(this.codeOf(x));
    }
    return true;
  }

  /**
   * Appends the codes of the array at [start, end) of simple JSON text (valid, no escapes) when every
   * element is a string; false (nothing appended) when it is not such an array.
   */
  addStringArray(t: string, start: number, end: number): boolean {
    const from = this.used;
    if (t.charCodeAt(start) !== OPEN_BRACKET) return false;
    let i = skipWhite(t, start + 1);
    if (t.charCodeAt(i) === CLOSE_BRACKET) return true;
    for (;;) {
      if (t.charCodeAt(i) !== QUOTE) break;
      const j = t.indexOf('"', i + 1);
      this.push(this.codeOfSpan(t, i + 1, j));
      i = skipWhite(t, j + 1);
      const c = t.charCodeAt(i);
      if (c === CLOSE_BRACKET) return i + 1 === end || this.undo(from);
      if (c !== COMMA) break;
      i = skipWhite(t, i + 1);
    }
    return this.undo(from);
  }

  private undo(from: number): false {
    this.used = from;
    return false;
  }

  private push(c: number): void {
    if (this.used === this.flat.length) this.flat = grow(this.flat);
    this.flat[this.used++] = c;
  }

  /** The code of the string at [a, b) of `t`. */
  private codeOfSpan(t: string, a: number, b: number): number {
    const len = b - a;
    if (len > SPAN_CODED_MAX) return this.codeOf(t.slice(a, b));
    let h = len;
    for (let k = a; k < b; k++) h = Math.imul(h ^ t.charCodeAt(k), 0x01000193);
    const mask = this.slotCodes.length - 1;
    let at = h & mask;
    for (;;) {
      const c = this.slotCodes[at]!;
      if (c < 0) break;
      if (this.slotHashes[at] === h) {
        const x = this.dict[c]!;
        if (x.length === len && t.startsWith(x, a)) return c;
      }
      at = (at + 1) & mask;
    }
    const c = this.codeOf(t.slice(a, b));
    this.slotCodes[at] = c;
    this.slotHashes[at] = h;
    if (++this.filled * 2 > this.slotCodes.length) this.rehash();
    return c;
  }

  private rehash(): void {
    const codes = this.slotCodes;
    const hashes = this.slotHashes;
    this.slotCodes = new Int32Array(codes.length * 2).fill(-1);
    this.slotHashes = new Int32Array(codes.length * 2);
    const mask = this.slotCodes.length - 1;
    for (let k = 0; k < codes.length; k++) {
      if (codes[k]! < 0) continue;
      let at = hashes[k]! & mask;
      while (this.slotCodes[at]! >= 0) at = (at + 1) & mask;
      this.slotCodes[at] = codes[k]!;
      this.slotHashes[at] = hashes[k]!;
    }
  }
}

const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const COMMA = 44;

function skipWhite(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/** An element as the string column holds it (typed-builder's rule: null is ''). */
function asText(v: Value): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
