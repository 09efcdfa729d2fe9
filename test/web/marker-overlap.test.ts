// One marker per problem: which of the language service's markers stay next to the server's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { languageServiceMarkersToShow, overlaps, sameMarkers, type MarkerPlace } from '../../src/web/workbench/marker-overlap.js';

const ERROR = 8, WARNING = 4, INFO = 2;
/** A marker on line `line` from column `from` up to (not including) `to`. */
const at = (line: number, from: number, to: number, severity = ERROR, message = 'm'): MarkerPlace & { message: string } =>
  ({ startLineNumber: line, startColumn: from, endLineNumber: line, endColumn: to, severity, message });
const across = (fromLine: number, fromCol: number, toLine: number, toCol: number): MarkerPlace =>
  ({ startLineNumber: fromLine, startColumn: fromCol, endLineNumber: toLine, endColumn: toCol, severity: ERROR });

// [what, a, b, overlap?]
const OVERLAPS: [string, MarkerPlace, MarkerPlace, boolean][] = [
  ['the same range', at(2, 9, 16), at(2, 9, 16), true],
  ['one inside the other', at(2, 9, 16), at(2, 11, 12), true],
  ['sharing one character', at(2, 9, 16), at(2, 15, 20), true],
  ['only touching at an edge', at(2, 9, 16), at(2, 16, 20), false],
  ['apart on one line', at(2, 1, 3), at(2, 9, 16), false],
  ['on other lines', at(1, 1, 20), at(2, 1, 20), false],
  ['an empty range on the first character', at(2, 9, 9), at(2, 9, 16), true],
  ['an empty range on the last character', at(2, 15, 15), at(2, 9, 16), true],
  ['an empty range just after the end', at(2, 16, 16), at(2, 9, 16), false],
  ['two empty ranges at one place', at(2, 9, 9), at(2, 9, 9), true],
  ['a range across lines and one on its middle line', across(1, 5, 3, 2), at(2, 1, 4), true],
  ['a range across lines and one after its end', across(1, 5, 3, 2), at(3, 2, 6), false],
  ['a range across lines and one before its start', across(1, 5, 3, 2), at(1, 1, 5), false],
];

test('which ranges overlap (either way round)', () => {
  for (const [what, a, b, expected] of OVERLAPS) {
    assert.equal(overlaps(a, b), expected, what);
    assert.equal(overlaps(b, a), expected, `${what} (swapped)`);
  }
});

test('the server wins where it marks the same text at least as severely', () => {
  const misspelt = at(2, 9, 16, ERROR, "The name 'FileNam' does not refer to any known column");
  const elsewhere = at(3, 3, 7, ERROR, 'syntax error');
  const server = [at(2, 9, 16, ERROR, "Unknown column 'FileNam' (did you mean 'FileName'?)")];
  assert.deepEqual(languageServiceMarkersToShow([misspelt, elsewhere], server), [elsewhere]);
  assert.deepEqual(languageServiceMarkersToShow([at(2, 9, 16, WARNING)], server), [], 'a milder marker under a server error goes');
  assert.deepEqual(languageServiceMarkersToShow([at(2, 12, 12, ERROR)], server), [], 'an empty range inside goes');
});

test('the language service keeps what the server does not cover', () => {
  const ls = [at(2, 9, 16), at(5, 1, 4, WARNING)];
  assert.deepEqual(languageServiceMarkersToShow(ls, []), ls, 'no server markers: all stay');
  assert.notEqual(languageServiceMarkersToShow(ls, []), ls, 'a new list, not the caller\'s');
  assert.deepEqual(languageServiceMarkersToShow(ls, [at(2, 16, 20)]), ls, 'touching is not overlapping');
  const error = at(2, 9, 16, ERROR);
  assert.deepEqual(languageServiceMarkersToShow([error], [at(2, 1, 30, INFO)]), [error], 'a server info does not hide an error');
  assert.deepEqual(languageServiceMarkersToShow([error], [at(2, 1, 30, WARNING)]), [error], 'nor does a server warning');
  assert.deepEqual(languageServiceMarkersToShow([], [at(2, 9, 16)]), []);
});

test('same markers: place, severity, message and code, in any order', () => {
  const a = { ...at(1, 1, 4, ERROR, 'x'), code: 'KS142' };
  const b = at(2, 1, 4, WARNING, 'y');
  assert.ok(sameMarkers([a, b], [b, { ...a }]));
  assert.ok(sameMarkers([], []));
  assert.ok(sameMarkers([{ ...a, code: { value: 'KS142' } }], [a]), 'a code given as { value } is the same code');
  assert.ok(!sameMarkers([a], [a, b]));
  assert.ok(!sameMarkers([a], [{ ...a, message: 'z' }]));
  assert.ok(!sameMarkers([a], [{ ...a, severity: WARNING }]));
  assert.ok(!sameMarkers([a], [{ ...a, endColumn: 5 }]));
  assert.ok(!sameMarkers([a], [{ ...a, code: 'KS143' }]));
  assert.ok(!sameMarkers([a, a], [a, b]), 'counts duplicates');
});
