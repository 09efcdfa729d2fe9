// The server's engine workers under memory pressure, over a real loopback socket: a query past its budget
// ends with KQL4004 naming the budget (derived from the worker's own heap cap), the worker that ran it is
// replaced, and every later query is answered as if nothing happened.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type { ApiError, QueryResponse } from '../../src/server/api.js';

let root: string;
let app: FastifyInstance;
let base: string;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-server-limits-'));
  createDemoWorkspace(join(root, 'ws'), { devices: 4, days: 1 });
  // one small worker: the budget is half of its 96 MB heap cap
  app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'no-web'), engineWorkers: 1, engineHeapMb: 96 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function query(q: string, extra: object = {}): Promise<{ status: number; body: QueryResponse & ApiError }> {
  const r = await fetch(`${base}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, ...extra }) });
  return { status: r.status, body: (await r.json()) as QueryResponse & ApiError };
}

test('a query past its memory budget gets KQL4004 with the budget; the worker is replaced and later queries work', async () => {
  for (let round = 0; round < 3; round++) {
    const heavy = await query('range x from 1 to 3000000 step 1 | extend s = strcat(strrep("abcdefgh", 10), x) | summarize make_list(s)');
    assert.equal(heavy.status, 400, JSON.stringify(heavy.body).slice(0, 300));
    assert.match(heavy.body.error.message, /'extend' needed more memory than the query's budget of \d+ MiB/);
    assert.equal(heavy.body.error.diagnostics?.[0]?.code, 'KQL4004');
    for (let i = 0; i < 3; i++) {
      const next = await query(`DeviceNetworkEvents | summarize n = count() | extend round = ${round}`);
      assert.equal(next.status, 200, JSON.stringify(next.body).slice(0, 300));
      assert.ok((next.body.tables[0]!.rows[0]![0] as number) > 0);
    }
  }
});

test('a cross join past the budget and a huge single value end the same way, and the server keeps answering', async () => {
  const join = await query('range a from 1 to 100000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 100000 step 1 | extend k = 1) on k | count', { timeoutMs: 20_000 });
  assert.equal(join.status, 400, JSON.stringify(join.body).slice(0, 300));
  assert.match(join.body.error.message, /'join' needed more memory than the query's budget/);
  const value = await query('print s = strrep("abcdefghij", 100000000)');
  assert.equal(value.status, 400);
  assert.match(value.body.error.message, /'print' needed more memory/);
  const status = await fetch(`${base}/api/status`);
  assert.equal(status.status, 200);
  const last = await query('print 1');
  assert.equal(last.status, 200, JSON.stringify(last.body));
});

test('a hunt whose worker thread is stopped (its time limit) does not leave its run running: the pool ends it as failed', async () => {
  const { EnginePool } = await import('../../src/server/engine-pool.js');
  const { failRun, getRun, openFindingsDb } = await import('../../src/hunts/index.js');
  const { importRules } = await import('../../src/rules/index.js');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const dir = join(root, 'ws');
  mkdirSync(join(root, 'slow'), { recursive: true });
  writeFileSync(join(root, 'slow', 'slow.yaml'), `id: 6b0c2f4e-1111-4222-8333-944455556666\nname: Slow\nseverity: Low\ntactics: [CommandAndControl]\nquery: |\n  range x from 1 to 2000000 step 1 | summarize Count = sum(countof(strcat(strrep("ab", 1000), x), "b"))\n`);
  importRules(join(root, 'slow'), { workspaceDir: dir });
  const db = openFindingsDb(dir);
  const lost: number[] = [];
  const pool = new EnginePool({ dir, size: 1, heapMb: 512, onRunLost: (id, reason) => { lost.push(id); failRun(db, id, reason); } });
  try {
    // a warm thread (a thread's first job also loads kqlite), then a hunt that outlives its limit
    await pool.query({ query: 'print 1', nowTicks: '0', maxRows: 1, timeoutMs: 30_000 });
    await assert.rejects(pool.hunt({ ruleIds: ['6b0c2f4e-1111-4222-8333-944455556666'], actor: 'test', timeoutMs: 1000 }), /ran longer than its limit of 1000 ms/);
    assert.equal(lost.length, 1);
    const run = getRun(db, lost[0]!)!;
    assert.equal(run.outcome, 'failed');
    assert.match(run.error ?? '', /stopped: the hunt ran longer than its limit of 1000 ms/);
  } finally {
    await pool.close();
    db.close();
  }
});
