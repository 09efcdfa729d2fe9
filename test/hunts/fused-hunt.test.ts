// Fused hunts (rules sharing scans and where chains) must equal running every rule on its own: the whole
// built-in RMM pack over the demo organisation's workspace, compared rule by rule and as hunt findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuery } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { createDemoWorkspace } from '../../src/ingest/demo/workspace.js';
import { listFindings, openMemoryDb, runHunt } from '../../src/hunts/index.js';
import { builtinRules } from '../../src/rules/index.js';

test('the RMM pack fused gives the same results and findings as rule by rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-fused-'));
  try {
    const { workspace: ws } = createDemoWorkspace(dir, { devices: 30, days: 10 });
    const now = ws.maxTimestamp()!;
    const rules = builtinRules();
    const shared = new Map();
    let rows = 0;
    for (const rule of rules) {
      const alone = runQuery(rule.query, { source: ws, now });
      const fused = runQuery(rule.query, { source: ws, now, sharedScans: shared });
      assert.ok(alone.ok && fused.ok, rule.id);
      const a = alone.tables.map((t) => encodedRows(t.table));
      assert.deepEqual(fused.tables.map((t) => encodedRows(t.table)), a, rule.id);
      rows += a[0]!.length;
    }
    assert.ok(rows > 10, `the demo's planted tools are found (${rows} result rows)`);
    assert.ok(shared.size >= 3 && shared.size < rules.length * 2, `the rules share their scans (${shared.size} cached chains)`);

    const summaries = [true, false].map((fusedRun) => {
      const db = openMemoryDb();
      const s = runHunt({ rules, source: ws, db, fused: fusedRun });
      const findings = listFindings(db, {}).map((f) => JSON.stringify({ ...f, firstSeenAt: undefined, lastSeenAt: undefined, createdAt: undefined, updatedAt: undefined }));
      return { rules: s.rules.map((o) => [o.ruleId, o.outcome, o.rows, o.findingsNew]), findings: findings.sort() };
    });
    assert.deepEqual(summaries[0], summaries[1]);
    assert.ok(summaries[0]!.findings.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
