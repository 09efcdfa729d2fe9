// The CSV reader: quoting, doubled quotes, newlines inside quotes, CRLF, BOM, empty lines, and its errors
// with the line where the record starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvRecords, CsvError } from '../../src/ingest/csv.js';

const all = (t: string) => [...csvRecords(t)].map((r) => [r.line, r.fields]);

test('fields, quotes, CRLF, BOM and empty lines', () => {
  assert.deepEqual(all('\ufeffa,b,c\r\n1,"x, ""y""",\r\n\r\n"multi\nline",2,"3"\n,,\n'), [
    [1, ['a', 'b', 'c']], [2, ['1', 'x, "y"', '']], [4, ['multi\nline', '2', '3']], [6, ['', '', '']],
  ]);
  assert.deepEqual(all('a\nb'), [[1, ['a']], [2, ['b']]]);
  assert.deepEqual(all('""\n"",x'), [[1, ['']], [2, ['', 'x']]]);
  assert.deepEqual(all(''), []);
});

test('malformed quoting is an error naming the line', () => {
  for (const [text, line] of [['a\n"open,1\n2', 2], ['a\n"x"y,1', 2], ['a\nb"c,1', 2]] as const) {
    assert.throws(() => all(text), (e: unknown) => e instanceof CsvError && e.line === line, text);
  }
});
