/**
 * RFC 4180 CSV (Advanced Hunting exports): comma-separated, fields optionally in double quotes with `""`
 * for a quote, records ending in LF or CRLF, a leading BOM ignored, empty lines skipped. Written for ingest
 * speed (one pass over char codes, fields cut with slice): the general-purpose parser it replaces took
 * about half of the ingest time. A quote inside an unquoted field, text after a closing quote and an
 * unclosed quote are errors, with the line where the record starts.
 */

export class CsvError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const COMMA = 44, QUOTE = 34, LF = 10, CR = 13;

/** Records with the line each starts on (1-based). */
export function* csvRecords(text: string): Generator<{ fields: string[]; line: number }> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const c0 = text.charCodeAt(i);
    if (c0 === LF || c0 === CR) {
      // empty line
      i += c0 === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let c = text.charCodeAt(i);
      if (c === QUOTE) {
        let value = '';
        let from = ++i;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new CsvError(`unclosed quote in the record starting on line ${start}`, start);
          for (let k = text.indexOf('\n', from); k >= 0 && k < q; k = text.indexOf('\n', k + 1)) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        c = text.charCodeAt(i);
        if (i < n && c !== COMMA && c !== LF && c !== CR) throw new CsvError(`text after a closing quote on line ${line}`, line);
      } else {
        const from = i;
        while (i < n && (c = text.charCodeAt(i)) !== COMMA && c !== LF && c !== CR) {
          if (c === QUOTE) throw new CsvError(`a quote inside an unquoted field on line ${line}`, line);
          i++;
        }
        fields.push(text.slice(from, i));
      }
      if (i >= n) break;
      c = text.charCodeAt(i);
      i++;
      if (c === COMMA) continue;
      if (c === CR && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    yield { fields, line: start };
  }
}
