// The conformance figure may only go up: raise test/conformance/floor.json when it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KNOWN_DOC_ERRORS, loadCases, runAll, runCase } from '../../scripts/conformance-lib.js';

test('the cases the engine gets right (strict comparer) do not drop below the recorded floor', () => {
  const floor = (JSON.parse(readFileSync('test/conformance/floor.json', 'utf8')) as { right: number }).right;
  const s = runAll();
  assert.equal(s.results.length, 796);
  assert.ok(s.right >= floor, `conformance fell to ${s.right} right (floor ${floor})`);
  assert.equal(s.pass + s['doc-error'] + s.unverifiable + s.fail + s.unsupported, 796);
});

test('each known documentation error fails against the page and passes against its correction (unless it names an engine gap)', () => {
  const cases = new Map(loadCases().map((c) => [c.id, c]));
  for (const id of Object.keys(KNOWN_DOC_ERRORS)) {
    const c = cases.get(id);
    assert.ok(c, `${id} is not a conformance case`);
    const r = runCase(c);
    assert.notEqual(r.outcome, 'pass', `${id} now passes against the page: remove it from KNOWN_DOC_ERRORS`);
    if (!KNOWN_DOC_ERRORS[id]!.engineGap) assert.equal(r.outcome, 'doc-error', `${id}: ${r.reason}`);
  }
});
