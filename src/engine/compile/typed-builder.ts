/**
 * Writes values of a known length straight into a column's typed arrays (no intermediate Value[]), with
 * exactly `buildColumn`'s coercions (storage/builders.ts): the column it finishes equals
 * `buildColumn(type, values)` for the same values (test/engine/vector-eval.test.ts checks it).
 */
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { buildColumn, bytesPerRow } from '../storage/builders.js';
import { cellText, StringDictionaryBuilder } from '../storage/string-dictionary.js';
import { reserve } from '../memory.js';
import { newValidity, setValid, type Column, type DynamicValue } from '../storage/column.js';
import { splitTicks } from '../values/ticks.js';
import type { Value } from '../values/value.js';

export interface TypedWriter {
  /** Sets row i (each row exactly once). */
  set(i: number, v: Value): void;
  finish(): Column;
}

export function typedWriter(type: ScalarTypeName, n: number): TypedWriter {
  reserve(n * bytesPerRow(type));
  let validity: Uint8Array | undefined;
  const setNull = (i: number) => {
    validity ??= newValidity(n, true);
    setValid(validity, i, false);
  };
  switch (type) {
    case 'bool': {
      const out = new Uint8Array(n);
      return {
        set(i, v) {
          out[i] = v === true ? 1 : 0;
          if (v === null || v === undefined) setNull(i);
        },
        finish: () => ({ type, length: n, values: out, validity }),
      };
    }
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const out = new Float64Array(n);
      // a long beyond ±2^53 turns on the exact form (column.ts): rows so far are safe integers
      let big: BigInt64Array | undefined;
      return {
        set(i, v) {
          if (typeof v === 'number') {
            out[i] = v;
            if (big) big[i] = type === 'long' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
          } else if (typeof v === 'bigint') {
            out[i] = Number(v);
            if (type === 'long') {
              if (!big) {
                big = new BigInt64Array(n);
                for (let j = 0; j < n; j++) big[j] = Number.isFinite(out[j]!) ? BigInt(Math.trunc(out[j]!)) : 0n;
              }
              big[i] = BigInt.asIntN(64, v);
            }
          } else if (typeof v === 'boolean') {
            out[i] = v ? 1 : 0;
            if (big) big[i] = v ? 1n : 0n;
          } else setNull(i);
        },
        finish: () => (big ? { type, length: n, values: out, validity, big } : { type, length: n, values: out, validity }),
      };
    }
    case 'string':
    case 'guid': {
      const strings = new StringDictionaryBuilder();
      const codes = new Int32Array(n);
      const dict = strings.dict;
      return {
        set(i, v) {
          codes[i] = strings.code(cellText(v));
          if (type === 'guid' && (v === null || v === undefined)) setNull(i);
        },
        finish: () => (type === 'string' ? { type, length: n, dict, codes } : { type, length: n, dict, codes, validity }),
      };
    }
    case 'datetime':
    case 'timespan': {
      const hi = new Float64Array(n);
      const lo = new Uint16Array(n);
      return {
        set(i, v) {
          if (typeof v === 'bigint') {
            const s = splitTicks(v);
            hi[i] = s.hi;
            lo[i] = s.lo;
          } else setNull(i);
        },
        finish: () => ({ type, length: n, hi, lo, validity }),
      };
    }
    case 'dynamic': {
      const out: DynamicValue[] = new Array(n);
      return {
        set(i, v) {
          out[i] = v === undefined ? null : (v as DynamicValue);
          if (v === null || v === undefined) setNull(i);
        },
        finish: () => ({ type, length: n, values: out, validity }),
      };
    }
    default: {
      const values: Value[] = new Array(n);
      return { set: (i, v) => { values[i] = v; }, finish: () => buildColumn(type, values) };
    }
  }
}
