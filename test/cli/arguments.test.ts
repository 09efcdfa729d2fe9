// Every command takes the forms its usage line documents and refuses anything else with that usage line:
// a stray word (`kqlite hunt bogus-word`), a missing one, an option its sub-command does not use. Multi-value
// options take every following word (`kqlite hunt --rules A B C` runs all three).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { COMMANDS } from '../../src/cli/commands.js';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { runCli } from '../helpers/cli.js';

let root: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-args-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, {});
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Per command, invocations that must be refused and what the message must say. */
const REFUSED: Record<string, [string[], RegExp][]> = {
  check: [[['--as-of', '2026-01-01', 'x.kql'], /Unknown option '--as-of'/]], // check reads files and runs nothing (its --workspace is for lint settings only)
  query: [[['print 1', '--file', 'q.kql'], /unexpected argument 'print 1': the query comes from --file/]],
  ingest: [[[], /name the files to ingest/], [['x.csv', '--rules', 'a'], /Unknown option '--rules'/]],
  tables: [[['bogus-word'], /unexpected argument 'bogus-word' \('tables' takes no arguments besides its options\)/]],
  quarantine: [[['DeviceInfo'], /unexpected argument 'DeviceInfo'/]],
  demo: [[['25'], /unexpected argument '25'/]],
  rules: [
    [['show'], /'rules show' needs <id>/], [['show', 'a', 'b'], /unexpected argument 'b' \('rules show' takes <id>\)/],
    [['list', 'extra'], /unexpected argument 'extra'/], [['import', 'dir', '--status', 'valid'], /--status is not an option of 'rules import'/],
    [['frobnicate'], /unknown sub-command 'frobnicate' \('rules' has import, list, show, validate\)/],
  ],
  coverage: [[['T1219'], /unexpected argument 'T1219'/]],
  hunt: [[['bogus-word'], /unexpected argument 'bogus-word' \('hunt' takes no arguments besides its options\)/], [['--rules', 'a', '--quiet', 'b'], /unexpected argument 'b'/]],
  runs: [[['show', '1', '2'], /unexpected argument '2'/], [['list', '--note', 'x'], /Unknown option '--note'/], [['show', '1', '--limit', '3'], /--limit is not an option of 'runs show'/]],
  findings: [
    [['show'], /'findings show' needs <id>/], [['list', '--note', 'x'], /--note is not an option of 'findings list'/],
    [['set', 'abc', '--format', 'json'], /--format is not an option of 'findings set'/], [['list', 'abc'], /unexpected argument 'abc'/],
  ],
  allow: [
    [['--list', 'Action1'], /unexpected argument 'Action1': 'allow --list' takes no tool or rule/], [['--list', '--reason', 'x'], /--reason is not an option of 'allow --list'/],
    [['Action1', 'AnyDesk', '--reason', 'x'], /unexpected argument 'AnyDesk'/], [['Action1', '--reason', 'x', '--format', 'json'], /--format is not an option of 'allow <tool\|rule>'/],
  ],
  inventory: [[['Action1'], /unexpected argument 'Action1'/]],
  serve: [[['7070'], /unexpected argument '7070' \('serve' takes no arguments besides its options\)/]],
  start: [[['now'], /unexpected argument 'now'/]],
  sources: [
    [['add'], /'sources add' needs <git-url\|path>/], [['remove', 'a', 'b'], /unexpected argument 'b'/],
    [['list', '--since', '2026-01-01'], /--since is not an option of 'sources list'/], [['pull'], /unknown sub-command 'pull'/],
  ],
  watchlists: [[['add', 'iocs'], /'watchlists add' needs <file\.csv>/], [['list', 'x'], /unexpected argument 'x'/]],
  remotes: [[['add'], /'remotes add' needs <name>/], [['remove', 'a', 'b'], /unexpected argument 'b'/], [['list', '--cluster', 'x'], /--cluster is not an option of 'remotes list'/]],
  export: [[['kqlite'], /unexpected argument 'kqlite'/]],
  compact: [[['DeviceInfo'], /unexpected argument 'DeviceInfo'/]],
  test: [
    [['--rules', 'x'], /Unknown option '--rules'/], [['scaffold'], /'test scaffold' needs <rule-id>/],
    [['scaffold', 'some-id', '--format', 'json'], /Unknown option '--format'/],
  ],
  site: [[['build', 'out'], /unexpected argument 'out'/], [['publish'], /unknown sub-command 'publish'/]],
};

test('every command refuses what it does not use, with the reason and its usage line, and exit code 1', async () => {
  assert.deepEqual(Object.keys(REFUSED).sort(), Object.keys(COMMANDS).sort(), 'a case for every command');
  const cases = Object.entries(REFUSED).flatMap(([cmd, list]) => list.map(([args, why]) => ({ cmd, args, why })));
  // two at a time: each is a process of its own
  for (let i = 0; i < cases.length; i += 2) {
    await Promise.all(cases.slice(i, i + 2).map(async ({ cmd, args, why }) => {
      const r = await runCli([cmd, ...args, ...(cmd === 'check' ? [] : ['--workspace', ws])], { cwd: root });
      const what = `kqlite ${cmd} ${args.join(' ')}`;
      assert.equal(r.code, 1, `${what}: exit code (${r.stdout}${r.stderr})`);
      assert.match(r.stderr, why, what);
      assert.match(r.stderr, new RegExp(`usage: kqlite ${cmd}`), `${what}: the usage line`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
    }));
  }
});

test('hunt --rules A B C runs all three rules (and --rules A,B / repeated --rules still work)', async () => {
  const ids = ['kqlite-rmm-action1-netconn', 'kqlite-rmm-anydesk-netconn', 'kqlite-rmm-atera-filesig'];
  const ran = async (args: string[]) => {
    const r = await runCli(['hunt', '--workspace', ws, '--format', 'json', ...args]);
    assert.ok(r.code === 0 || r.code === 2, r.stderr);
    const j = JSON.parse(r.stdout) as { summary: { rulesRun: number }; findings: { ruleId: string }[] };
    return { run: j.summary.rulesRun, rules: [...new Set(j.findings.map((f) => f.ruleId))].sort() };
  };
  assert.deepEqual(await ran(['--rules', ...ids]), { run: 3, rules: ids });
  assert.deepEqual(await ran(['--rules', ids[0]!, ids[1]!, '--as-of', '2026-11-19T17:58:56Z', '-r', ids[2]!]), { run: 3, rules: ids });
  assert.deepEqual(await ran(['--rules', ids.join(',')]), { run: 3, rules: ids });
});

test('findings list tells findings of one rule on one device apart by their group key (RemoteUrl)', async () => {
  await runCli(['hunt', '--workspace', ws, '--rules', 'kqlite-rmm-action1-netconn']);
  const r = await runCli(['findings', 'list', '--workspace', ws, '--rule', 'kqlite-rmm-action1-netconn']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /\bwhat\b/);
  const rows = lines.filter((l) => l.includes('it-admin-01'));
  assert.equal(rows.length, 2, r.stdout);
  assert.ok(rows.some((l) => l.includes('https://server.action1.com/agent/poll')) && rows.some((l) => l.includes('https://server.action1.com/api/3.0/status')), r.stdout);
});
