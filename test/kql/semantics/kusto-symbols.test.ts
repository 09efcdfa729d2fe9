// kqlite's function and aggregate names against Kusto.Language's own symbol tables (kusto-symbols.json, built
// by scripts/build-kusto-symbols.ts from the dev dependency): every name Kusto knows is a kqlite signature
// (its own or, for a deprecated name, its replacement's) or is listed here with why kqlite refuses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import kusto from '../../../src/kql/semantics/signatures/kusto-symbols.json' with { type: 'json' };
import { lookupAggregate, lookupFunction } from '../../../src/kql/semantics/index.js';
import { UNSUPPORTED_FUNCTIONS } from './unsupported-functions.js';

type Entry = [string, string, string | null, string | null];

test('kusto-symbols.json is what the installed Kusto.Language says', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-kusto-symbols.ts', '--check'], { encoding: 'utf8' });
  assert.match(out, /up to date/);
});

test('every Kusto.Language function and aggregate is known to kqlite or refused by name with a reason', () => {
  const missing: string[] = [];
  for (const [name] of kusto.functions as Entry[]) if (!name.startsWith('__') && !lookupFunction(name) && !lookupAggregate(name) && !UNSUPPORTED_FUNCTIONS[name]) missing.push(name);
  for (const [name] of kusto.aggregates as Entry[]) if (!lookupAggregate(name) && !UNSUPPORTED_FUNCTIONS[name]) missing.push(name);
  assert.deepEqual(missing, []);
});

test('the refused list holds only names Kusto.Language knows and kqlite lacks', () => {
  const all = new Set([...(kusto.functions as Entry[]), ...(kusto.aggregates as Entry[])].map(([n]) => n));
  const stale = Object.keys(UNSUPPORTED_FUNCTIONS).filter((n) => !all.has(n) || lookupFunction(n) || lookupAggregate(n));
  assert.deepEqual(stale, []);
});

// The other way round: a name kqlite takes that Kusto.Language does not know would bind in kqlite and fail in
// Kusto (hash_crc32, to_hash and vector_sum did: the latter two are user functions the reference's examples
// define with let). Each exception says why.
const KQLITE_ONLY: Record<string, string> = {
  toscalar: 'Kusto.Language binds toscalar() as a special form, not a function symbol',
  materialize: 'Kusto.Language binds materialize() as a special form, not a function symbol',
  makeset_if: 'aggregate alias of make_set_if kept by kqlite; Kusto.Language does not list it (not decided here)',
  make_set_with_nulls: 'aggregate kept by kqlite; Kusto.Language does not list it (not decided here)',
};

test('every kqlite function and aggregate name is one Kusto.Language knows, or an exception with a reason', async () => {
  const { FUNCTION_SIGNATURES, AGGREGATE_SIGNATURES } = await import('../../../src/kql/semantics/index.js');
  const all = new Set([...(kusto.functions as Entry[]), ...(kusto.aggregates as Entry[])].map(([n]) => n.toLowerCase()));
  const extra = [...FUNCTION_SIGNATURES.keys(), ...AGGREGATE_SIGNATURES.keys()].filter((n) => !all.has(n) && !KQLITE_ONLY[n]);
  assert.deepEqual(extra, []);
  assert.deepEqual(Object.keys(KQLITE_ONLY).filter((n) => all.has(n)), [], 'an exception Kusto.Language now knows');
});
