// The conformance pass count may only go up: raise test/conformance/floor.json when it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KNOWN_DOC_ERRORS, loadCases, runAll, runCase } from '../../scripts/conformance-lib.js';

test('conformance pass count does not drop below the recorded floor', () => {
  const floor = (JSON.parse(readFileSync('test/conformance/floor.json', 'utf8')) as { pass: number }).pass;
  const s = runAll();
  assert.equal(s.results.length, 796);
  assert.ok(s.pass >= floor, `conformance fell to ${s.pass} (floor ${floor})`);
  assert.equal(s.pass + s.fail + s.unsupported, 796);
});

test('known documentation errors are real cases that fail for the stated reason', () => {
  const cases = new Map(loadCases().map((c) => [c.id, c]));
  for (const id of Object.keys(KNOWN_DOC_ERRORS)) {
    const c = cases.get(id);
    assert.ok(c, `${id} is not a conformance case`);
    assert.notEqual(runCase(c).outcome, 'pass', `${id} now passes: remove it from KNOWN_DOC_ERRORS`);
  }
});
