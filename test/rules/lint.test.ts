/**
 * Rule lint (src/rules/lint), driven by data: every file under test/rules/data/lint names the codes it must
 * produce on its first line (`# expect: LINT010 LINT010`, `// expect: ...`, or `nothing`), so each code has
 * positive and negative cases side by side. The files' own KQL must bind cleanly (no KQL errors), so a case
 * cannot pass by being broken. A golden file holds the full text output of `kqlite check` over the folder.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkText } from '../../src/cli/check-files.js';
import { defaultCatalog } from '../../src/kql/semantics/index.js';
import { disabledIn, LINT_CODES, parseDisableOption } from '../../src/rules/lint/index.js';
import { runCli } from '../helpers/cli.js';

const DIR = 'test/rules/data/lint';
const files = readdirSync(DIR).filter((f) => /\.(ya?ml|kql)$/.test(f)).sort();
const catalog = defaultCatalog();

function expected(text: string): string[] {
  const m = /^(?:#|\/\/) expect: (.*)$/m.exec(text);
  assert.ok(m, 'every case file starts with an expect line');
  return m[1]!.trim() === 'nothing' ? [] : m[1]!.trim().split(/\s+/).sort();
}

for (const f of files) {
  test(`lint case ${f}`, () => {
    const text = readFileSync(join(DIR, f), 'utf8');
    const ds = checkText(join(DIR, f), text, catalog);
    assert.deepEqual(ds.filter((d) => !d.code.startsWith('LINT')).map((d) => `${d.code} ${d.message}`), [], 'the case itself binds cleanly');
    assert.deepEqual(ds.filter((d) => d.code.startsWith('LINT')).map((d) => d.code).sort(), expected(text), ds.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  });
}

test('every lint code has a case that produces it and a case that expects nothing of it', () => {
  const all = files.map((f) => ({ f, codes: expected(readFileSync(join(DIR, f), 'utf8')) }));
  for (const c of LINT_CODES) {
    assert.ok(all.some((x) => x.codes.includes(c.code)), `${c.code} has a positive case`);
    assert.ok(all.some((x) => x.f.startsWith(c.code.toLowerCase()) && !x.codes.includes(c.code)) || all.some((x) => x.f.startsWith(`lint${c.code.slice(4, 6)}`) && !x.codes.includes(c.code)), `${c.code} has a negative case`);
  }
});

test('--no-lint leaves only syntax and binding diagnostics; --disable and comments turn codes off', () => {
  const text = readFileSync(join(DIR, 'lint001-no-filter.yaml'), 'utf8');
  assert.deepEqual(checkText('x.yaml', text, catalog, { lint: false }), []);
  assert.deepEqual(checkText('x.yaml', text, catalog, { disable: new Set(['LINT001']) }), []);
  assert.deepEqual(checkText('x.yaml', text, catalog, { disable: new Set(['ALL']) }), []);
  assert.deepEqual([...disabledIn('# kqlite-disable: LINT001, lint010\nquery: |\n  // kqlite-disable: LINT040')].sort(), ['LINT001', 'LINT010', 'LINT040']);
  assert.deepEqual(parseDisableOption(['LINT001,lint010', 'all', 'LINT999']), { codes: new Set(['LINT001', 'LINT010', 'ALL']), unknown: ['LINT999'] });
});

test('positions: a query finding at its line in the file, a field finding on the field', () => {
  const path = join(DIR, 'lint021-retired-technique.yaml');
  const ds = checkText(path, readFileSync(path, 'utf8'), catalog);
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.deepEqual(ds.map((d) => lines[d.line - 1]!.slice(d.column - 1, d.endColumn - 1)), ['T1086', 'T1064']);
  assert.match(ds[0]!.message, /T1086 \(PowerShell\) is revoked: ATT&CK now files it as T1059\.001 \(PowerShell\); write T1059\.001/);
  const p2 = join(DIR, 'lint010-contains-path.yaml');
  const d2 = checkText(p2, readFileSync(p2, 'utf8'), catalog);
  const l2 = readFileSync(p2, 'utf8').split('\n');
  assert.deepEqual(d2.map((d) => [d.line, l2[d.line - 1]!.slice(d.column - 1, d.endColumn - 1), d.suggestion]), [[17, 'contains', 'has'], [17, '!contains_cs', '!has_cs']]);
});

test('kqlite check over the cases: the text output matches the golden file (UPDATE_GOLDEN=1 rewrites it)', async () => {
  const r = await runCli(['check', DIR]);
  const golden = 'test/rules/data/lint.expected.txt';
  if (process.env['UPDATE_GOLDEN']) writeFileSync(golden, r.stdout);
  assert.equal(r.code, 1, 'LINT030 is an error');
  assert.equal(r.stdout, readFileSync(golden, 'utf8'));
});

test('docs/LINT.md explains every code, and its counts on the development corpora are what lint finds there', () => {
  const doc = readFileSync('docs/LINT.md', 'utf8');
  for (const c of LINT_CODES) {
    assert.match(doc, new RegExp(`^## ${c.code}\\n\\n\\*\\*${c.name}\\*\\* \\(${c.severity === 'info' ? 'note' : c.severity}`, 'm'), `${c.code} has its section`);
  }
  // the table's first two columns: `| LINT001 | 43 | 0 | ...` (a count, or `8 + 23 notes`, or `1 note`)
  const counted = (cell: string) => cell.split('+').reduce((n, part) => n + Number(/\d+/.exec(part)?.[0] ?? 0), 0);
  const table = new Map([...doc.matchAll(/^\| (LINT\d{3}) \| ([^|]+) \| ([^|]+) \|/gm)].map((m) => [m[1]!, [counted(m[2]!), counted(m[3]!)]]));
  assert.equal(table.size, LINT_CODES.length);
  const corpora = ['../shared/corpus/sentinel-hunting', '../shared/corpus/rmm-tools'];
  const found = corpora.map((dir) => {
    const counts = new Map<string, number>();
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/i.test(e.name)) for (const x of checkText(p, readFileSync(p, 'utf8'), catalog)) if (x.code.startsWith('LINT')) counts.set(x.code, (counts.get(x.code) ?? 0) + 1);
      }
    };
    walk(dir);
    return counts;
  });
  for (const [code, [hunting, rmm]] of table) assert.deepEqual([found[0]!.get(code) ?? 0, found[1]!.get(code) ?? 0], [hunting, rmm], code);
});

test("kqlite's own content is lint-clean: the built-in pack and the seed rules", async () => {
  const { builtinRules, exampleRules } = await import('../../src/rules/index.js');
  const rules = [...builtinRules(), ...exampleRules()];
  assert.ok(rules.length > 400);
  const found = rules.flatMap((r) => checkText(`${r.id}.yaml`, r.yaml, catalog).map((d) => `${r.name}: ${d.code} ${d.message}`));
  assert.deepEqual(found, []);
});
