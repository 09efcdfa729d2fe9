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
