// Every function Kusto.Language lists that kqlite has a signature for runs in the engine, or is refused with
// KQL4010 naming it and saying why (engine/functions/refused.ts), and README.md lists every refused one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import kusto from '../../src/kql/semantics/signatures/kusto-symbols.json' with { type: 'json' };
import { lookupAggregate, lookupFunction } from '../../src/kql/semantics/index.js';
import { SCALAR_FUNCTIONS } from '../../src/engine/functions/registry.js';
import { AGGREGATES } from '../../src/engine/aggregates/registry.js';
import { ROW_FUNCTIONS } from '../../src/engine/compile/row-functions.js';
import { WINDOW_FUNCTIONS } from '../../src/engine/operators/window.js';
import { REFUSED_FUNCTIONS } from '../../src/engine/functions/refused.js';
import { runQuery } from '../../src/engine/index.js';

/** Tabular references the engine evaluates itself (engine/run.ts), not through a function table. */
const TABULAR_FORMS = new Set(['table', 'database', 'cluster']);

type Entry = [string, string, string | null, string | null];

test('each Kusto.Language function with a kqlite signature runs, or is refused with a reason', () => {
  const missing: string[] = [];
  for (const [name] of kusto.functions as Entry[]) {
    const sig = lookupFunction(name);
    if (name.startsWith('__') || !sig) continue;
    const low = name.toLowerCase();
    const runs = SCALAR_FUNCTIONS.has(low) || SCALAR_FUNCTIONS.has(sig.name.toLowerCase()) || ROW_FUNCTIONS.has(low) || WINDOW_FUNCTIONS.has(low) || TABULAR_FORMS.has(low) || AGGREGATES.has(low);
    if (!runs && !REFUSED_FUNCTIONS[low]) missing.push(name);
    if (runs && REFUSED_FUNCTIONS[low]) missing.push(`${name} (runs, but is listed as refused)`);
  }
  for (const [name] of kusto.aggregates as Entry[]) {
    const sig = lookupAggregate(name);
    if (sig && !AGGREGATES.has(name.toLowerCase()) && !AGGREGATES.has(sig.name.toLowerCase())) missing.push(name);
  }
  assert.deepEqual(missing, []);
});

test('a refused function fails with KQL4010 naming it and why; README lists it', () => {
  const readme = readFileSync('README.md', 'utf8');
  const calls: Record<string, string> = { hash_combine: "hash('a'), hash('b')", hash_many: "'a', 'b'", series_periods_validate: 'dynamic([1, 2, 1, 2]), 2', cursor_after: "''" };
  for (const [name, why] of Object.entries(REFUSED_FUNCTIONS)) {
    const r = runQuery(`print ${name}(${calls[name] ?? ''})`, { now: 0n });
    assert.equal(r.ok, false, name);
    assert.equal(r.diagnostics[0]!.code, 'KQL4010', name);
    assert.ok(r.diagnostics[0]!.message.includes(`'${name}'`) && r.diagnostics[0]!.message.includes(why), r.diagnostics[0]!.message);
    assert.ok(readme.includes(`\`${name}\``), `README.md does not list ${name}`);
  }
});
