/**
 * Reading a few fields of JSON text without parsing all of it (values/json-path.ts), where a query says
 * which fields it wants:
 * - `parse_json(X).a.b`, `todynamic(X)["a"][0]` with X text: the path is read from X's text;
 * - `extend J = parse_json(X)` over a string column X gives a JSON column (storage/json-column.ts): the parsed
 *   values are made only when something reads them whole; `J.a.b` reads the path from X's text, once per
 *   distinct string (hunts parse AdditionalFields, then read one or two of its fields).
 * Both answer exactly what the general path (parse, then `member`/`indexInto`) does: text the quick reader
 * leaves to it (16-digit runs, negative indexes) takes the general path (test/engine/json-path.test.ts).
 */
import { unparen, walk } from '../../kql/syntax/index.js';
import type { CallExpr, Expr, MemberExpr } from '../../kql/syntax/ast.js';
import { gatherColumn } from '../storage/builders.js';
import type { Column, StringColumn } from '../storage/column.js';
import type { ColumnParts } from '../storage/merge.js';
import { jsonTextColumn } from '../storage/json-column.js';
import { reserve } from '../memory.js';
import { isPlainJsonDictionary } from '../storage/text-facts.js';
import { parseJsonValue } from '../values/json.js';
import { JSON_SPECIAL, jsonPathValue, LONG_DIGIT_RUN, memberSpans, simpleSpanValue, SPAN_FOUND, walkPath, type JsonStep } from '../values/json-path.js';
import type { Value } from '../values/value.js';
import type { Compiled } from './env.js';
import { compileExpr, type CompileScope } from './expr.js';
import { columnOf, entryOf } from './relation.js';

/**
 * `parse_json(t).path` of one text: the quick reader, or the general path where it declines. `plain`: the
 * text is known to hold no backslash, control character or 16-digit run (storage/text-facts.ts).
 */
export function textPathValue(text: string, path: readonly JsonStep[], plain = false): Value {
  const v = jsonPathValue(text, path, plain);
  return v === undefined ? walkPath(parseJsonValue(text), path) : v;
}

/** The argument of a `parse_json(x)` / `todynamic(x)` call (the built-in, one argument), else undefined. */
function parseJsonArgument(e: Expr, s: CompileScope): Expr | undefined {
  const x = unparen(e);
  if (x.kind !== 'CallExpr' || x.args.length !== 1) return undefined;
  const name = x.name.name.toLowerCase();
  if (name !== 'parse_json' && name !== 'todynamic' && name !== 'toobject') return undefined;
  if (s.rt.bound.callOf(x as CallExpr)?.kind !== 'scalar') return undefined;
  const a = x.args[0]!;
  return a.kind === 'NamedArg' ? undefined : a;
}

/** A member/index chain with constant steps: its innermost target and the steps, outermost last. */
function pathOf(e: Expr, s: CompileScope): { base: Expr; path: JsonStep[] } | undefined {
  const path: JsonStep[] = [];
  let x = e;
  for (;;) {
    if (x.kind === 'MemberExpr') {
      path.push(x.name.name);
      x = unparen(x.target);
    } else if (x.kind === 'IndexExpr') {
      const i = compileExpr(x.index, s);
      if (!i.constant) return undefined;
      const v = i.eval(0);
      if (typeof v === 'string') path.push(v);
      else if (typeof v === 'number' && Number.isInteger(v)) path.push(v);
      else return undefined;
      x = unparen(x.target);
    } else break;
  }
  return path.length ? { base: x, path: path.reverse() } : undefined;
}

/**
 * When `e` is `J.path` (J a JSON column) or `parse_json(C).path` (C a string column): the text column,
 * aligned with the scope's physical rows, and the path; else undefined.
 */
export function jsonPathSource(e: Expr, s: CompileScope): { text: StringColumn; path: JsonStep[] } | undefined {
  if (s.substitute || s.override) return undefined;
  const p = pathOf(unparen(e), s);
  if (!p) return undefined;
  if (p.base.kind === 'NameRef') {
    const col = columnOf(s.rel, p.base.name);
    return col?.type === 'dynamic' && col.jsonText ? { text: col.jsonText, path: p.path } : undefined;
  }
  const arg = parseJsonArgument(p.base, s);
  const x = arg && unparen(arg);
  if (x?.kind !== 'NameRef') return undefined;
  const col = columnOf(s.rel, x.name);
  return col?.type === 'string' ? { text: col, path: p.path } : undefined;
}

/**
 * When `e` is `J.path` with J a JSON column of a where chain's per-extent parts, or `parse_json(C).path`
 * with C such parts: the parts (their concatenation aligned with the scope's physical rows) and the path;
 * else undefined. Asking reads no concatenation.
 */
export function jsonPathParts(e: Expr, s: CompileScope): { parts: ColumnParts; path: JsonStep[] } | undefined {
  if (s.substitute || s.override) return undefined;
  const p = pathOf(unparen(e), s);
  if (!p) return undefined;
  if (p.base.kind === 'NameRef') {
    const col = columnOf(s.rel, p.base.name);
    return col?.type === 'dynamic' && col.jsonTextParts ? { parts: col.jsonTextParts, path: p.path } : undefined;
  }
  const arg = parseJsonArgument(p.base, s);
  const x = arg && unparen(arg);
  if (x?.kind !== 'NameRef') return undefined;
  const parts = entryOf(s.rel, x.name)?.parts;
  return parts?.type === 'string' ? { parts, path: p.path } : undefined;
}

/** `parse_json(X).path` or `J.path` (J a JSON column) compiled to read the path from the text; else undefined. */
export function compileJsonPath(e: Expr, s: CompileScope): Compiled | undefined {
  if (s.substitute || s.override) return undefined;
  const p = pathOf(e, s);
  if (!p) return undefined;
  const { base, path } = p;
  if (base.kind === 'NameRef') {
    const col = columnOf(s.rel, base.name);
    const text = col?.type === 'dynamic' ? col.jsonText : undefined;
    if (!text) return undefined;
    // once per distinct string: rows sharing a text share the value (mv-expand converts an array once);
    // evaluateVector already goes once per distinct string, this is for per-row readers (where, ...)
    const { dict, codes } = text;
    const plain = isPlainJsonDictionary(dict);
    const dense = dict.length <= 4 * text.length + 1024;
    const memo: Value[] | undefined = dense ? new Array<Value>(dict.length) : undefined;
    const sparse = dense ? undefined : new Map<number, Value>();
    // read with the other keys an extend asks of the same texts
    const table = path.length === 1 ? memberTables.get(dict) : undefined;
    const key = table ? table.keys.indexOf(path[0] as string) : -1;
    return {
      type: 'dynamic',
      eval: (r) => {
        const code = codes[r]!;
        let v = memo ? memo[code] : sparse!.get(code);
        if (v === undefined) {
          v = key >= 0 ? table!.value(code, key) : textPathValue(dict[code]!, path, plain);
          if (memo) memo[code] = v;
          else sparse!.set(code, v);
        }
        return v;
      },
    };
  }
  const arg = parseJsonArgument(base, s);
  if (!arg) return undefined;
  const x = compileExpr(arg, s);
  if (x.type !== 'string') return undefined;
  const f = x.eval;
  // a bare string column: its dictionary may be known plain (each text then skips two regex tests)
  const named = unparen(arg);
  const col = named.kind === 'NameRef' ? columnOf(s.rel, named.name) : undefined;
  const plain = col?.type === 'string' && isPlainJsonDictionary(col.dict);
  // read with the other keys an extend asks of the same texts
  const table = col?.type === 'string' && path.length === 1 ? memberTables.get(col.dict) : undefined;
  const key = table ? table.keys.indexOf(path[0] as string) : -1;
  if (key >= 0) {
    const codes = (col as StringColumn).codes;
    return { type: 'dynamic', eval: (r) => table!.value(codes[r]!, key) };
  }
  return { type: 'dynamic', eval: (r) => { const t = f(r); return typeof t === 'string' ? textPathValue(t, path, plain) : walkPath(parseJsonValue(t), path); } };
}

/**
 * `parse_json(C)` over string column C at rows `rows` as a JSON column, or undefined when `e` is not that.
 * (`all`: the rows are every row of C in order.)
 */
export function jsonColumnOf(e: Expr, s: CompileScope, rows: Int32Array, all: boolean): Column | undefined {
  if (s.substitute || s.override) return undefined;
  const arg = parseJsonArgument(e, s);
  const x = arg && unparen(arg);
  if (x?.kind !== 'NameRef') return undefined;
  // a where chain's per-extent parts read whole: concatenated only if the text is read as one column
  const entry = entryOf(s.rel, x.name);
  if (all && entry?.parts?.type === 'string') return jsonTextColumn(() => entry.column as StringColumn, rows.length, entry.parts);
  const col = columnOf(s.rel, x.name);
  if (col?.type !== 'string') return undefined;
  return jsonTextColumn(all ? col : (gatherColumn(col, rows) as StringColumn));
}

// (module-level copies: under tsx every read of an imported binding is a getter call)
const SPECIAL = JSON_SPECIAL;
const LONG_DIGITS = LONG_DIGIT_RUN;
const FOUND = SPAN_FOUND;

/**
 * Several one-key paths read from the texts of one dictionary (`extend UA = tostring(AF.user_agent), Dir =
 * tostring(AF.direction)`): the first key asked of a text reads every key's span in one pass
 * (values/json-path.ts `memberSpans`), the others are sliced from those spans. Texts the one-pass reader
 * does not take (escapes, control characters, 16-digit runs) are read key by key as before, so every value
 * equals `textPathValue`'s.
 */
export class MemberTable {
  /** Per text: 0 not read yet, 1 spans noted, 2 not an object read whole (every key null), 3 read key by key. */
  private readonly state: Uint8Array;
  private readonly spans: Int32Array;

  constructor(readonly dict: readonly string[], readonly keys: readonly string[], private readonly plain: boolean) {
    reserve((1 + 8 * keys.length) * dict.length);
    this.state = new Uint8Array(dict.length);
    this.spans = new Int32Array(2 * keys.length * dict.length);
  }

  /** `parse_json(dict[code]).keys[key]`. */
  value(code: number, key: number): Value {
    const t = this.dict[code]!;
    const width = 2 * this.keys.length;
    let state = this.state[code]!;
    if (state === 0) {
      if (!this.plain && (SPECIAL.test(t) || LONG_DIGITS.test(t))) state = 3;
      else state = memberSpans(t, this.keys, this.spans, width * code) === FOUND ? 1 : 2;
      this.state[code] = state;
    }
    if (state === 2) return null;
    if (state === 3) return textPathValue(t, [this.keys[key]!], this.plain);
    const at = width * code + 2 * key;
    const start = this.spans[at]!;
    return start < 0 ? null : simpleSpanValue(t, start, this.spans[at + 1]!);
  }
}

const memberTables = new WeakMap<readonly string[], MemberTable>();

/**
 * Runs `fn` with one MemberTable per text column that two or more of `exprs` read one-key paths of
 * (`parse_json(C).k`, or `J.k` with J a JSON column) over `rows` rows: while it runs, those paths are compiled to read
 * through the table. The texts are found (and C concatenated, when it is a where chain's parts) only when
 * some text column has two keys read.
 */
export function withMemberTables<T>(exprs: readonly Expr[], scopeOf: (e: Expr) => CompileScope, rows: number, fn: () => T): T {
  // one-key paths by what they read: 'j' + J's name, or 'p' + C's name
  const groups = new Map<string, { keys: Set<string>; e: Expr; s: CompileScope }>();
  for (const root of exprs) {
    const s = scopeOf(root);
    if (s.substitute || s.override) continue;
    walk(root, (node) => {
      if (node.kind !== 'MemberExpr') return;
      const n = node as MemberExpr;
      const target = unparen(n.target);
      let group: string | undefined;
      if (target.kind === 'NameRef') group = `j${target.name}`;
      else {
        const arg = parseJsonArgument(target, s);
        const x = arg && unparen(arg);
        if (x?.kind === 'NameRef') group = `p${x.name}`;
      }
      if (!group) return;
      const g = groups.get(group) ?? { keys: new Set<string>(), e: n, s };
      g.keys.add(n.name.name);
      groups.set(group, g);
    });
  }
  const made: (readonly string[])[] = [];
  try {
    for (const g of groups.values()) {
      if (g.keys.size < 2) continue;
      const src = jsonPathSource(g.e, g.s);
      // (a table holds spans for every string of the dictionary: not for a few rows of a large one)
      if (!src || memberTables.has(src.text.dict) || src.text.dict.length > 4 * rows + 1024) continue;
      memberTables.set(src.text.dict, new MemberTable(src.text.dict, [...g.keys], isPlainJsonDictionary(src.text.dict)));
      made.push(src.text.dict);
    }
    return fn();
  } finally {
    for (const d of made) memberTables.delete(d);
  }
}
