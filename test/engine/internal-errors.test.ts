// A defect inside the engine (or a table source) ends the query with KQL4099 naming what failed, never an
// exception with a stack trace for the caller to print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, type TableSource } from '../../src/engine/index.js';

test('an unexpected exception while running becomes a KQL4099 diagnostic', () => {
  const broken: TableSource = {
    tableNames: () => ['T'],
    schema: () => ({ name: 'T', columns: [{ name: 'a', type: 'long' }] }),
    scan: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'column')");
    },
  };
  const r = runQuery('T | count', { source: broken });
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0]!.code, 'KQL4099');
  assert.match(r.diagnostics[0]!.message, /internal error in '[^']+': .*reading 'column'.*a bug in kqlite/);
});
