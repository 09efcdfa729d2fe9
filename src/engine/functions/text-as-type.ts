/**
 * Text read as a value of a KQL type, for the functions that take a `typeof(T)` (extract, extract_json):
 * the conversions the to*() functions make (tolong reads integer text exactly, toint keeps int32, ...);
 * text that is not a value of the type gives null.
 */
import { parseDatetimeText, parseGuidText, parseTimespanText } from '../../kql/syntax/index.js';
import { parseJson } from '../values/json.js';
import { longFromReal, MAX_INT, MIN_INT, parseLongText } from '../values/long.js';
import type { ScalarTypeName, Value } from '../values/value.js';

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

export function textAsType(text: string, type: ScalarTypeName): Value {
  switch (type) {
    case 'string':
      return text;
    case 'int':
    case 'long': {
      const n = parseLongText(text) ?? (NUMBER_TEXT.test(text) ? longFromReal(Number(text)) : undefined);
      if (n === undefined) return null;
      return type === 'int' ? (n >= MIN_INT && n <= MAX_INT ? Number(n) : null) : n;
    }
    case 'real':
    case 'decimal': {
      const t = text.trim();
      if (/^(nan|[+-]?inf(inity)?)$/i.test(t)) return /nan/i.test(t) ? NaN : t.startsWith('-') ? -Infinity : Infinity;
      return NUMBER_TEXT.test(t) ? Number(t) : null;
    }
    case 'bool':
      return /^\s*(true|1)\s*$/i.test(text) ? true : /^\s*(false|0)\s*$/i.test(text) ? false : null;
    case 'datetime':
      return parseDatetimeText(text) ?? null;
    case 'timespan':
      return parseTimespanText(text) ?? null;
    case 'guid':
      return parseGuidText(text) ?? null;
    case 'dynamic':
      try {
        return parseJson(text);
      } catch {
        return text;
      }
  }
}
