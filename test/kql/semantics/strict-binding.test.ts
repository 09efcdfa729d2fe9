// The binder reports what Kusto.Language reports (strict-binding.json): each case's errors are checked
// against kqlite (code, position, message) and its errors-or-not against Kusto.Language, so a case that
// Kusto accepts cannot be listed as an error here, nor the reverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { locate } from '../../../src/common/diagnostics.js';
import { checkQuery, defaultCatalog } from '../../../src/kql/semantics/index.js';
import { msAnalyze } from '../../helpers/ms-parser.js';

interface Case {
  name: string;
  query: string;
  expect: { code: string; line: number; column: number; message: string }[];
}

const { cases } = JSON.parse(readFileSync(new URL('./strict-binding.json', import.meta.url), 'utf8')) as { cases: Case[] };

for (const c of cases) {
  test(`strict binding: ${c.name}`, () => {
    const errors = checkQuery(c.query).diagnostics.filter((d) => d.severity === 'error');
    const got = locate('q.kql', c.query, errors);
    assert.equal(got.length, c.expect.length, got.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('\n'));
    c.expect.forEach((want, i) => {
      const d = got[i]!;
      assert.deepEqual([d.code, d.line, d.column], [want.code, want.line, want.column], d.message);
      assert.ok(d.message.includes(want.message), `${d.message} should contain ${want.message}`);
    });
    const kusto = msAnalyze(c.query, defaultCatalog());
    assert.equal(kusto.syntaxErrors.length, 0);
    assert.equal(kusto.semanticErrors.length > 0, c.expect.length > 0, `Kusto.Language: ${kusto.semanticErrors.map((d) => d.message).join('; ')}`);
  });
}

// Where the documentation shows a call running that Kusto.Language rejects, the documented use wins: the
// engine runs it (conformance cases summarize-operator#6/#9, make-timespan-function#1), so the binder takes it.
for (const query of ['datatable(x:long)[1, 2] | summarize count(x)', 'print make_timespan(1, 12, 30, 55.123)']) {
  test(`documented call Kusto.Language rejects is taken: ${query}`, () => {
    assert.deepEqual(checkQuery(query).diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(msAnalyze(query, defaultCatalog()).semanticErrors.length > 0, 'Kusto.Language accepts it now: drop the leniency');
  });
}
