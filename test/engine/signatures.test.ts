// Every function and aggregate the engine implements exists in the binder's signature table with the same
// arity, so `check` and the engine never disagree about what a call may look like.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupAggregate, lookupFunction } from '../../src/kql/semantics/index.js';
import { SCALAR_FUNCTIONS } from '../../src/engine/functions/registry.js';
import { AGGREGATES } from '../../src/engine/aggregates/registry.js';

test('scalar implementations match their signatures', () => {
  const problems: string[] = [];
  for (const [name, f] of SCALAR_FUNCTIONS) {
    const sig = lookupFunction(name);
    if (!sig) problems.push(`${name}: no signature`);
    else if (sig.minArgs !== f.minArgs || (sig.maxArgs !== f.maxArgs && !(sig.maxArgs === Infinity && f.maxArgs >= 64))) problems.push(`${name}: implementation takes ${f.minArgs}..${f.maxArgs}, signature ${sig.minArgs}..${sig.maxArgs}`);
  }
  assert.deepEqual(problems, []);
});

test('aggregate implementations match their signatures', () => {
  const problems: string[] = [];
  for (const [name, a] of AGGREGATES) {
    const sig = lookupAggregate(name);
    if (!sig) problems.push(`${name}: no signature`);
    else if (sig.minArgs !== a.minArgs || (sig.maxArgs !== a.maxArgs && !(sig.maxArgs === Infinity && a.maxArgs >= 64))) problems.push(`${name}: implementation takes ${a.minArgs}..${a.maxArgs}, signature ${sig.minArgs}..${sig.maxArgs}`);
  }
  assert.deepEqual(problems, []);
});
