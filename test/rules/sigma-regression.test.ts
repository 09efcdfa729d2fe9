// The SigmaHQ regression suite through kqlite: every case's EVTX ingested (`kqlite ingest`), every case's rule
// imported (`kqlite rules import`) and hunted (`kqlite hunt --rules language:sigma`); a case passes when its rule,
// converted to KQL, returns rows of its own EVTX (by content, since identical files are ingested once). Cases
// whose logsource kqlite does not map are counted apart; every miss is listed with its cause.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { Workspace } from '../../src/store/workspace.js';
import { loadRules } from '../../src/rules/index.js';
import { runCli } from '../helpers/cli.js';
import { regressionCases, SIGMA } from '../helpers/sigma-regression.js';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

test('SigmaHQ regression suite: the converted rules fire on their cases', { timeout: 600_000 }, async () => {
  const cases = regressionCases();
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-sigma-regression-'));
  const ws = join(dir, 'ws');
  // the cases' rules, in a folder of their own (with SigmaHQ's licence file, as a clone has it)
  const rulesDir = join(dir, 'sigma');
  for (const c of cases.filter((c) => c.ruleFile)) {
    const to = join(rulesDir, relative(SIGMA, c.ruleFile));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(c.ruleFile, to);
  }
  copyFileSync(join(SIGMA, 'LICENSE'), join(rulesDir, 'LICENSE'));

  const ingest = await runCli(['ingest', ...new Set(cases.map((c) => c.evtx)), '--workspace', ws, '--json'], { timeoutMs: 300_000 });
  assert.equal(ingest.code, 0, ingest.stderr);
  const report = JSON.parse(ingest.stdout) as { read: number; loaded: number; quarantined: number };
  assert.equal(report.quarantined, 0);
  const imported = await runCli(['rules', 'import', rulesDir, '--workspace', ws, '--format', 'json'], { timeoutMs: 300_000 });
  const importReport = JSON.parse(imported.stdout) as { loaded: number; failed: number; sigma: number };
  assert.equal(importReport.failed, 0, imported.stdout.slice(0, 2000));
  const hunt = await runCli(['hunt', '--workspace', ws, '--rules', 'language:sigma', '--format', 'json'], { timeoutMs: 300_000 });
  assert.ok(hunt.code === 0 || hunt.code === 2, hunt.stderr);
  const summary = (JSON.parse(hunt.stdout) as { summary: { rules: { ruleId: string; outcome: string; rows: number; reason?: string }[] } }).summary;
  const outcomes = new Map(summary.rules.map((r) => [r.ruleId, r]));

  const rules = new Map(loadRules(ws).map((r) => [r.id, r]));
  const source = Workspace.open(ws);
  const hashOf = new Map<string, string>();
  const fileHash = (f: string) => hashOf.get(f) ?? (hashOf.set(f, sha(f)), hashOf.get(f)!);
  let mapped = 0;
  let fired = 0;
  const unmapped: string[] = [];
  const misses: string[] = [];
  for (const c of cases) {
    const rule = rules.get(c.ruleId);
    const where = relative(SIGMA, c.evtx);
    if (!rule) {
      misses.push(`${where}: rule ${c.ruleId} is not in the corpus`);
      mapped++;
      continue;
    }
    if (rule.notRunnable !== undefined && rule.diagnostics.some((d) => d.code === 'SIGMA001')) {
      unmapped.push(`${rule.name} (${rule.sigma?.logsource.product}/${rule.sigma?.logsource.category ?? rule.sigma?.logsource.service})`);
      continue;
    }
    mapped++;
    if (rule.notRunnable !== undefined) {
      misses.push(`${where}: ${rule.name}: not runnable here: ${rule.notRunnable}`);
      continue;
    }
    const o = outcomes.get(rule.id);
    if (!o || o.outcome !== 'ran' || o.rows === 0) {
      misses.push(`${where}: ${rule.name}: the hunt ${o ? `${o.outcome}${o.reason ? ` (${o.reason})` : ''} with ${o.rows} rows` : 'did not report it'}`);
      continue;
    }
    const r = runQuery(`${rule.query}\n| distinct SourceFile`, { source });
    const own = fileHash(c.evtx);
    if (r.ok && toJsonResult(r.tables[0]!.table).rows.some((x) => fileHash(String(x[0])) === own)) fired++;
    else misses.push(`${where}: ${rule.name}: fires on other cases' events but not on its own [${rule.sigma?.target}]`);
  }
  const pct = (100 * fired) / mapped;
  console.log(`SigmaHQ regression suite through kqlite: ${fired} of ${mapped} cases with a mapped logsource fire (${pct.toFixed(1)}%); ${unmapped.length ? `${unmapped.length} not mapped (${unmapped.join('; ')})` : 'every case\'s logsource is mapped'}`);
  for (const m of misses) console.log(`  miss: ${m}`);
  assert.ok(pct >= 95, `at least 95% must fire:\n${misses.join('\n')}`);
  assert.ok(mapped >= 200);
});
