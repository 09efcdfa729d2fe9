// The whole SigmaHQ rule set through `kqlite check`: every rule either converts to KQL that binds cleanly against
// the Defender and Windows event schemas, or carries a precise "not runnable here" warning (its code, its line
// or logsource, and why); none is an error, none is dropped.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { filesUnder } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { SIGMA } from '../helpers/sigma-regression.js';

const DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-compliance', 'rules-dfir', 'rules-placeholder'].map((d) => join(SIGMA, d));

test('every SigmaHQ rule binds or says precisely why it cannot run here', { timeout: 600_000 }, async () => {
  const files = DIRS.flatMap((d) => filesUnder(d, /\.ya?ml$/));
  assert.ok(files.length >= 3700, `the SigmaHQ rules (found ${files.length})`);
  // binding only: the lint's notes on these rules (ATT&CK ids newer than v18.1) are docs/LINT.md's business
  const r = await runCli(['check', ...DIRS, '--format', 'json', '--no-lint'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr.slice(0, 2000));
  const diags = JSON.parse(r.stdout) as { file: string; code: string; severity: string; message: string }[];
  assert.deepEqual(diags.filter((d) => d.severity === 'error'), [], 'no converted rule fails to bind, no rule is invalid');
  const byFile = new Map<string, typeof diags>();
  for (const d of diags) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const codes = new Map<string, number>();
  for (const [file, ds] of byFile) {
    assert.equal(ds.length, 1, `${file}: one reason`);
    const d = ds[0]!;
    assert.match(d.code, /^SIGMA00[1-7]$/, `${file}: ${d.code} ${d.message}`);
    assert.match(d.message, /^not runnable here: (line \d+: |logsource |a Sigma correlation|[A-Za-z ./\-()0-9]+: line \d+: )/, `${file}: ${d.message}`);
    codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
  }
  const runnable = files.length - byFile.size;
  console.log(`Sigma corpus: ${files.length} rules, ${runnable} convert to KQL that binds, ${byFile.size} not runnable here (${[...codes].sort().map(([c, n]) => `${c} ${n}`).join(', ')})`);
  assert.ok(runnable >= 2800, 'the Windows rules convert');
});
