// Hunt runs a SOC can trust, through the CLI as it is used: a hunt killed part way, or failing on its
// report, consumes nothing (its findings are new to the next run and `--fail-on` still fires); a run whose
// process died is ended as failed; hunts in several processes at once all complete; a re-hunt of the same
// data reports its findings as unchanged, not updated.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, startCli } from '../helpers/cli.js';

let root: string;
let ws: string;
const SLOW_RULE = '0f5e2a51-9a8c-4c1e-9d7e-5a1f3a6e0c01';

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-hunt-integrity-'));
  ws = join(root, 'ws');
  const demo = await runCli(['demo', '--workspace', ws, '--devices', '6', '--days', '2']);
  assert.equal(demo.code, 0, demo.stderr);
  // a rule that runs for many seconds after the AnyDesk rules have found what they find
  mkdirSync(join(root, 'rules'));
  writeFileSync(join(root, 'rules', 'slow.yaml'), `id: ${SLOW_RULE}
name: Slow rule
severity: Low
tactics: [CommandAndControl]
relevantTechniques: [T1219]
query: |
  DeviceProcessEvents
  | take 1
  | extend k = 1
  | join kind=inner (range x from 1 to 5000000 step 1 | extend k = 1, n = countof(strcat(strrep("ab", 300), x), "b")) on k
  | summarize Count = count() by DeviceName
`);
  const imp = await runCli(['rules', 'import', join(root, 'rules'), '--workspace', ws]);
  assert.equal(imp.code, 0, imp.stderr);
});
after(() => rmSync(root, { recursive: true, force: true }));

interface RunJson { id: number; outcome: string; error?: string; findingsNew?: number; findingsUpdated?: number; findingsUnchanged?: number }
const runs = async (dir = ws) => JSON.parse((await runCli(['runs', '--workspace', dir, '--format', 'json'])).stdout) as RunJson[];
const hunt = (dir: string, ...extra: string[]) => runCli(['hunt', '--workspace', dir, '--rules', 'tool:AnyDesk', '--fail-on', 'low', ...extra]);
const fresh = (name: string) => {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  // the same telemetry and rules, no findings yet
  for (const d of ['tables', 'rules']) cpSync(join(ws, d), join(dir, d), { recursive: true });
  return dir;
};

/** Polls the findings database (read-only) until `ready` holds, for up to `ms`. */
async function waitFor(dir: string, ready: (db: Database.Database) => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const db = new Database(join(dir, 'findings.sqlite'), { readonly: true, fileMustExist: true });
      try {
        if (ready(db)) return true;
      } finally {
        db.close();
      }
    } catch {
      // not created yet, or mid-migration
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('a hunt killed part way leaves no findings consumed: its run ends as failed, the next hunt reports them new and --fail-on fires', async () => {
  const dir = fresh('killed');
  const child = startCli(['hunt', '--workspace', dir, '--rules', `tool:AnyDesk,${SLOW_RULE}`]);
  // killed while the slow rule runs: after the run is recorded and the AnyDesk rules ran (an older kqlite
  // had stored their findings by then), long before the slow rule ends
  assert.ok(await waitFor(dir, (db) => !!db.prepare("SELECT 1 FROM runs WHERE outcome = 'running'").get(), 60_000), 'the hunt recorded its run');
  await waitFor(dir, (db) => !!db.prepare('SELECT 1 FROM findings').get(), 3_000);
  child.kill('SIGKILL');
  const killed = await child.done;
  assert.equal(killed.signal, 'SIGKILL');
  const [dead] = await runs(dir);
  assert.equal(dead!.outcome, 'failed');
  assert.match(dead!.error ?? '', /interrupted: its process ended before the run completed/);
  const next = await hunt(dir);
  assert.equal(next.code, 2, next.stdout + next.stderr);
  assert.match(next.stdout, /findings: [1-9]\d* new, 0 updated, 0 unchanged/);
  const all = await runs(dir);
  assert.deepEqual(all.map((r) => r.outcome), ['completed', 'failed']);
});

test('a hunt whose --html report cannot be written keeps nothing; a folder that does not exist fails before the hunt runs', async () => {
  const dir = fresh('html');
  const missing = await hunt(dir, '--html', join(root, 'no-such-folder', 'report.html'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--html .*no-such-folder.*: no such folder/);
  assert.deepEqual(await runs(dir), []);
  // a path that checks out but cannot take the report at the end (a folder of that name): the run is undone
  const target = join(root, 'report-is-a-folder');
  mkdirSync(join(target, 'inside'), { recursive: true });
  const failed = await hunt(dir, '--html', target);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /cannot write the report .*report-is-a-folder.*the run was not kept, its findings stay new/);
  assert.doesNotMatch(failed.stderr, /^\s+at /m);
  const [r] = await runs(dir);
  assert.equal(r!.outcome, 'failed');
  const next = await hunt(dir, '--html', join(root, 'report.html'));
  assert.equal(next.code, 2, next.stderr);
  assert.match(next.stdout, /findings: [1-9]\d* new, 0 updated, 0 unchanged/);
});

test('hunts in three processes at once all complete, on a new database and (three rounds) on an existing one', async () => {
  // an older kqlite failed about half of such rounds with "database is locked" (or "table runs already
  // exists" when they created the database together)
  const dirs = [fresh('concurrent-new'), fresh('concurrent-existing')];
  assert.equal((await hunt(dirs[1]!)).code, 2);
  for (const dir of [dirs[0]!, dirs[1]!, dirs[1]!, dirs[1]!]) {
    const before = (await runs(dir)).length;
    // every tool's rules (the whole pack but the slow rule), three times at once
    const results = await Promise.all([1, 2, 3].map(() => runCli(['hunt', '--workspace', dir, '--rules', 'tool:*', '--format', 'json'], { timeoutMs: 180_000 })));
    for (const r of results) assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
    const done = await runs(dir);
    assert.equal(done.length, before + 3);
    assert.ok(done.every((r) => r.outcome === 'completed'), JSON.stringify(done));
  }
  // each finding was new in exactly one run
  for (const dir of dirs) {
    const news = (await runs(dir)).reduce((n, r) => n + (r.findingsNew ?? 0), 0);
    const total = JSON.parse((await runCli(['findings', 'list', '--workspace', dir, '--format', 'json'])).stdout) as unknown[];
    assert.equal(news, total.length);
  }
});

test('a re-hunt of unchanged data reports its findings unchanged, not updated', async () => {
  const dir = fresh('rehunt');
  const first = await hunt(dir);
  assert.equal(first.code, 2);
  const n = Number(/findings: (\d+) new/.exec(first.stdout)![1]);
  const again = await hunt(dir);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`findings: 0 new, 0 updated, ${n} unchanged`));
  const list = await runs(dir);
  assert.deepEqual([list[0]!.findingsNew, list[0]!.findingsUpdated, list[0]!.findingsUnchanged], [0, 0, n]);
});
