// Golden binder results as data: expected diagnostics and result schemas for representative queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { locate } from '../../../src/common/diagnostics.js';
import { checkQuery } from '../../../src/kql/semantics/index.js';

interface Golden {
  diagnostics: { name: string; query: string; expect: { code: string; line: number; column: number; message: string }[] }[];
  schemas: { name: string; query: string; expect: string[] }[];
}

const golden = JSON.parse(readFileSync('test/kql/semantics/golden.json', 'utf8')) as Golden;

for (const c of golden.diagnostics) {
  test(`diagnostics: ${c.name}`, () => {
    const got = locate('q.kql', c.query, checkQuery(c.query).diagnostics).map((d) => ({ code: d.code, line: d.line, column: d.column, message: d.message }));
    assert.deepEqual(got, c.expect);
  });
}

for (const c of golden.schemas) {
  test(`schema: ${c.name}`, () => {
    const r = checkQuery(c.query);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const last = r.bound.resultSchemas[r.bound.resultSchemas.length - 1]!;
    assert.deepEqual(last.columns.map((x) => `${x.name}:${x.type}`), c.expect);
  });
}

test('engine capability check names the unsupported operator', () => {
  const r = checkQuery('print x = 1 | fork (take 1)', { engineOperators: new Set(['print', 'take']) });
  const d = r.diagnostics.find((x) => x.code === 'KQL2006');
  assert.ok(d);
  assert.match(d.message, /'fork' operator is not supported/);
});

test('a rule bound against only its declared tables reports other tables', () => {
  const r = checkQuery('DeviceProcessEvents | take 1', { tables: ['DeviceNetworkEvents'] });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['KQL2002']);
});
