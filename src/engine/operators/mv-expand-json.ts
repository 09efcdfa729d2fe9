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
import { charge } from '../memory.js';
import { jsonPathSpan, simpleStringElements, span, SPAN_FOUND, SPAN_NONE } from '../values/json-path.js';
import type { Value } from '../values/value.js';

/** Output dictionary codes of each input row's elements (rows with the same text share one array). */
export interface CodeLists {
  lists: Int32Array[];
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
  const dict: string[] = [];
  const index = new Map<string, number>();
  let held = 0;
  const codeOf = (x: string): number => {
    let c = index.get(x);
    if (c === undefined) {
      index.set(x, (c = dict.length));
      dict.push(x);
      held += stringBytes(x);
    }
    return c;
  };
  const dense = texts.length <= 4 * rows.length + 1024;
  const memo: (Int32Array | undefined)[] | undefined = dense ? new Array<Int32Array | undefined>(texts.length) : undefined;
  const sparse = dense ? undefined : new Map<number, Int32Array>();
  const strings: string[] = [];
  const lists = new Array<Int32Array>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if ((i & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK) checkLimits(s.rt);
    const code = textCodes[rows[i]!]!;
    let list = memo ? memo[code] : sparse!.get(code);
    if (list === undefined) {
      const t = texts[code]!;
      const found = jsonPathSpan(t, path);
      if (found === SPAN_FOUND && span.simple && simpleStringElements(t, span.start, span.end, strings)) {
        list = new Int32Array(strings.length);
        for (let k = 0; k < strings.length; k++) list[k] = codeOf(strings[k]!);
      } else {
        const values = generalList(found === SPAN_NONE ? null : textPathValue(t, path));
        list = new Int32Array(values.length);
        for (let k = 0; k < values.length; k++) {
          const v = values[k];
          list[k] = codeOf(v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
        }
      }
      if (memo) memo[code] = list;
      else sparse!.set(code, list);
    }
    lists[i] = list;
  }
  charge(held);
  return { lists, dict, index };
}
