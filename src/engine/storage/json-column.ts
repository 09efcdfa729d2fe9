/**
 * The dynamic column `parse_json(C)` makes of a string column C, kept as C's text until its values are
 * read (compile/json-access.ts reads paths from the text instead). `gatherColumn` keeps it one.
 */
import { newValidity, setValid, type DynamicColumn, type DynamicValue, type StringColumn } from './column.js';
import type { ColumnParts } from './merge.js';
import { reserve } from '../memory.js';
import { parseJsonValue } from '../values/json.js';
import type { Value } from '../values/value.js';

/**
 * The dynamic column `parse_json` makes of each row of `text`, parsed when its values (or nulls) are first
 * read, each distinct string once; until then `J.path` reads paths from `jsonText`. `text` may be given as
 * the `parts` it concatenates (rows `n`) and the concatenation's maker, called when first read.
 */
export function jsonTextColumn(text: StringColumn): DynamicColumn;
export function jsonTextColumn(text: () => StringColumn, n: number, parts: ColumnParts): DynamicColumn;
export function jsonTextColumn(given: StringColumn | (() => StringColumn), rows?: number, parts?: ColumnParts): DynamicColumn {
  const n = typeof given === 'function' ? rows! : given.length;
  let made = typeof given === 'function' ? undefined : given;
  const textOf = (): StringColumn => (made ??= (given as () => StringColumn)());
  let values: DynamicValue[] | undefined;
  let validity: Uint8Array | undefined;
  const parse = () => {
    reserve(8 * n); // a value reference per row, as a dynamic column's writer reserves
    const { dict, codes } = textOf();
    const memo = new Map<number, Value>();
    values = new Array<DynamicValue>(n);
    for (let i = 0; i < n; i++) {
      const code = codes[i]!;
      let v = memo.get(code);
      if (v === undefined) memo.set(code, (v = parseJsonValue(dict[code]!)));
      values[i] = v as DynamicValue;
      if (v === null) {
        validity ??= newValidity(n, true);
        setValid(validity, i, false);
      }
    }
    return values;
  };
  return {
    type: 'dynamic',
    length: n,
    get jsonText() {
      return textOf();
    },
    ...(parts ? { jsonTextParts: parts } : {}),
    get values() {
      return values ?? parse();
    },
    get validity() {
      if (!values) parse();
      return validity;
    },
  };
}
