// Golden syntax diagnostics: broken queries with the exact code and position kqlite must report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from '../../../src/kql/syntax/index.js';
import { locate } from '../../../src/common/diagnostics.js';

interface Golden {
  name: string;
  query: string;
  expect: { code: string; severity: string; line: number; column: number; message: string }[];
}

const cases = JSON.parse(readFileSync('test/kql/syntax/golden-diagnostics.json', 'utf8')) as Golden[];

for (const c of cases) {
  test(`golden: ${c.name}`, () => {
    const { diagnostics } = parse(c.query);
    const got = locate('q.kql', c.query, diagnostics).map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column, message: d.message }));
    assert.deepEqual(got, c.expect);
  });
}

test('the merge-conflict corpus query gets a diagnostic at each marker and nothing else', () => {
  const raw = readFileSync('../shared/corpus/sentinel-hunting/Impact__unusual-volume-of-file-deletion.yaml', 'utf8').replace(/\r/g, '');
  const q = raw
    .slice(raw.indexOf('query: |') + 9, raw.indexOf('entityMappings:'))
    .split('\n')
    .map((l) => (l.startsWith('  ') ? l.slice(2) : l))
    .join('\n');
  const got = locate('q', q, parse(q).diagnostics).map((d) => `${d.code}@${d.line}:${d.column}`);
  assert.deepEqual(got, ['KQL1011@18:1', 'KQL1011@21:1', 'KQL1011@24:1']);
});

test('the placeholder corpus query gets a placeholder warning on each {{...}}', () => {
  const raw = readFileSync('../shared/corpus/sentinel-hunting/Defense evasion__PotentialRootkitTrafficMissingFromMDE.yaml', 'utf8');
  const q = raw.replace(/\r/g, '');
  const start = q.indexOf('query: |');
  const body = q.slice(start + 9).split('\n');
  const end = body.findIndex((l) => l.trim() !== '' && !/^\s/.test(l));
  const text = body.slice(0, end < 0 ? undefined : end).map((l) => l.replace(/^ {2}/, '')).join('\n');
  const got = parse(text).diagnostics.filter((d) => d.code === 'KQL1012');
  assert.equal(got.length, 2);
  assert.ok(got.every((d) => d.severity === 'warning' && /\{\{(Start|End)TimeISO\}\}/.test(d.message)));
});
