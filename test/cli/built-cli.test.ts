// The built command line (bin/kqlite.js running the bundle scripts/build-cli.mjs writes into dist/cli-bundle/,
// with the built rules of dist/rules/data/) does what the CLI run from source does: same output, same exit
// codes, workers and files found where the unbundled modules find them. CI builds dist/ in `npm ci`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { COMMANDS } from '../../src/cli/commands.js';
import { runCli, type CliResult } from '../helpers/cli.js';

const BIN = resolve('bin/kqlite.js');
const built = existsSync('dist/cli-bundle/main.js') && existsSync('dist/rules/data/builtin-rules.json');
const skip = !built && 'dist/ is not built (npm run build)';

function runBuilt(args: string[], input = ''): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Both CLIs, the same arguments: the same exit code, stdout and stderr. */
async function same(args: string[], input = '', normalise = (s: string) => s): Promise<CliResult> {
  const [b, s] = await Promise.all([runBuilt(args, input), runCli(args, { input, source: true })]);
  assert.equal(b.code, s.code, `exit code of kqlite ${args.join(' ')}`);
  assert.equal(normalise(b.stdout), normalise(s.stdout), `stdout of kqlite ${args.join(' ')}`);
  assert.equal(b.stderr, s.stderr, `stderr of kqlite ${args.join(' ')}`);
  return b;
}

const dir = mkdtempSync(join(tmpdir(), 'kqlite-built-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every command of the built CLI loads and prints its usage', { skip }, async () => {
  const results = await Promise.all(Object.keys(COMMANDS).map(async (name) => [name, await runBuilt([name, '--help'])] as const));
  for (const [name, r] of results) {
    assert.equal(r.code, 0, `kqlite ${name} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: kqlite ${name}\\b`), name);
  }
});

test('a command file runs through its V8 code cache, and a cache this Node cannot use is set aside and made anew', { skip }, () => {
  // a copy of the launcher and main's file, as the build leaves them but without the cache
  const root = join(dir, 'code-cache');
  mkdirSync(join(root, 'dist', 'cli-bundle'), { recursive: true });
  cpSync('bin', join(root, 'bin'), { recursive: true });
  for (const f of ['main.js', 'package.json']) cpSync(join('dist', 'cli-bundle', f), join(root, 'dist', 'cli-bundle', f));
  const file = join(root, 'dist', 'cli-bundle', 'main.js');
  const cacheFile = `${file}.cache`;
  const status = () => {
    const probe = `import { loadBundle } from ${JSON.stringify(pathToFileURL(join(root, 'bin', 'load-bundle.js')).href)};
      const l = loadBundle(${JSON.stringify(file)}); process.stdout.write(l.cache + ' ' + l.exports.usage().split('\\n')[0]);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const help = () => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'kqlite.js'), '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: kqlite <command>/);
  };
  assert.equal(status(), 'absent usage: kqlite <command> [options]');
  help(); // the launcher writes the missing cache
  assert.ok(existsSync(cacheFile));
  assert.equal(status(), 'accepted usage: kqlite <command> [options]');
  // as made by another V8: refused, the file compiled from its text, the cache written anew
  writeFileSync(cacheFile, Buffer.alloc(4096, 7));
  assert.equal(status(), 'rejected usage: kqlite <command> [options]');
  help();
  assert.notDeepEqual(readFileSync(cacheFile), Buffer.alloc(4096, 7));
  assert.equal(status(), 'accepted usage: kqlite <command> [options]');
});

test('a command loads only the Node modules its work needs (docs/PERFORMANCE.md: each costs every run)', { skip }, async () => {
  // a preload that writes, as the process ends, which of Node's own modules it loaded
  const probe = join(dir, 'modules-probe.cjs');
  writeFileSync(probe, "process.on('exit', () => require('node:fs').writeSync(2, '\\nloaded: ' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ') + '\\n'));\n");
  const loaded = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--require', probe, BIN, ...args], { encoding: 'utf8', cwd: dir });
    assert.ok(r.status === 0 || r.status === 2, `kqlite ${args.join(' ')}: ${r.stderr}`);
    return new Set(/^loaded: (.*)$/m.exec(r.stderr)![1]!.split(' '));
  };
  const ws = join(dir, 'modules-demo');
  assert.equal((await runBuilt(['demo', '--workspace', ws, '--devices', '3', '--days', '1'])).code, 0);
  const print = loaded(['query', 'print x = 1']);
  const list = loaded(['rules', 'list']);
  const hunt = loaded(['hunt', '--workspace', ws, '--quiet']);
  for (const m of ['crypto', 'zlib', 'worker_threads']) assert.ok(!print.has(m), `query 'print x = 1' loaded node:${m}`);
  for (const m of ['crypto', 'worker_threads']) assert.ok(!list.has(m), `rules list loaded node:${m}`);
  assert.ok(!hunt.has('worker_threads'), 'hunt loaded node:worker_threads');
  // the probe sees what a command does load: a hunt hashes its findings' keys and checks its extents' checksums
  assert.ok(hunt.has('crypto') && hunt.has('zlib'), [...hunt].join(' '));
});

test('the built CLI answers as the source does: rules (YAML included), queries, errors, check', { skip }, async () => {
  const ruleFile = join(dir, 'rule.yaml');
  writeFileSync(ruleFile, 'id: 1b2c3d4e-0000-4000-8000-000000000001\nname: A rule\nseverity: Medium\nquery: |\n  DeviceNetworkEvents\n  | where RemoteUrl has "x"\n  | project Nope\n');
  const [list, show] = await Promise.all([
    same(['rules', 'list', '--format', 'json']),
    same(['rules', 'show', 'kqlite-rmm-action1-netconn', '--format', 'json']),
    same(['rules', 'show', '7da76b41-8c1d-4602-91c6-5d99738d38f4']),
    same(['query', 'print x = 1, y = strcat("a", "b")', '--format', 'json']),
    same(['query', 'print x = ']),
    same(['check', '-'], 'DeviceNetworkEvents | where RemoteUrl has "x" | project Nope\n'),
    // a Sentinel table (its schema read from the file dist/ holds) and a Defender table with its Sentinel columns
    same(['check', '-'], 'SigninLogs | where Nope == 1 | project UserPrincipalName\n'),
    same(['check', '-'], 'DeviceProcessEvents | project TimeGenerated, Timestamp, Nope2\n'),
    // functions whose packages load on first use (src/common/lazy-package.ts), from node_modules beside the bundle
    same(['query', `print h = geo_point_to_h3cell(1.0, 2.0, 5), p = geo_h3cell_to_polygon('8575457bfffffff'), e = erf(0.5), g = gamma(4.5),
      l = loggamma(3.3), ip = geo_info_from_ip_address('8.8.8.8'), ua = parse_user_agent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0', 'browser')`, '--format', 'json']),
    same(['check', ruleFile]),
    same(['query', `print a = extract("([a-z]+)=([0-9]+)", 2, "x=42"), b = parse_json('{"n": 123456789012345678901}'), c = geo_point_to_s2cell(10.0, 20.0, 8),
      d = toupper("x") matches regex "X", e = geo_s2cell_to_central_point("1182f"), f = replace_regex("abc", "b", "X"), g = todynamic("[1, 2.50, 9007199254740993]")`, '--format', 'json']),
  ]);
  assert.equal((JSON.parse(list.stdout) as unknown[]).length, 511);
  assert.match((JSON.parse(show.stdout) as { yaml: string }).yaml, /^id: kqlite-rmm-action1-netconn\n/);
});

test('a workspace made, ingested (on worker threads) and hunted by the built CLI equals the source CLI\'s', { skip }, async () => {
  const ws = join(dir, 'demo');
  const demo = await runBuilt(['demo', '--workspace', ws, '--devices', '5', '--days', '2']);
  assert.equal(demo.code, 0, demo.stderr);
  cpSync(ws, join(dir, 'demo-copy'), { recursive: true });
  // timings differ between any two runs; everything else is the same
  const untimed = (s: string) => s.replace(/"(durationMs|eventsPerSecond)": \d+/g, '"$1": 0');
  const hunt = await Promise.all([runBuilt(['hunt', '--workspace', ws, '--format', 'json']), runCli(['hunt', '--workspace', join(dir, 'demo-copy'), '--format', 'json'], { source: true })]);
  assert.equal(hunt[0].code, 2, hunt[0].stderr);
  assert.equal(hunt[1].code, 2, hunt[1].stderr);
  assert.equal(untimed(hunt[0].stdout), untimed(hunt[1].stdout));
  assert.ok((JSON.parse(hunt[0].stdout) as { summary: { findingsNew: number } }).summary.findingsNew > 0);

  // two CSV files read side by side by the ingest's worker threads (their script found beside the bundle)
  const q = (half: string) => runBuilt(['query', `DeviceNetworkEvents | where ${half}`, '--workspace', ws, '--format', 'csv']);
  // strings are ordered with strcmp (Kusto defines < only for numbers, dates and timespans)
  const [a, b] = await Promise.all([q('strcmp(DeviceId, "m") < 0'), q('strcmp(DeviceId, "m") >= 0')]);
  writeFileSync(join(dir, 'DeviceNetworkEvents_a.csv'), a.stdout);
  writeFileSync(join(dir, 'DeviceNetworkEvents_b.csv'), b.stdout);
  const into = join(dir, 'ingested');
  const ingest = await runBuilt(['ingest', join(dir, 'DeviceNetworkEvents_a.csv'), join(dir, 'DeviceNetworkEvents_b.csv'), '--workspace', into, '--threads', '2', '--quiet']);
  assert.equal(ingest.code, 0, ingest.stderr);
  // a watchlist (read by csv-parse, which the bundle loads on first use)
  writeFileSync(join(dir, 'vip.csv'), 'Host,Owner\nhost-a,alice\nhost-b,"bob, jr"\n');
  const added = await runBuilt(['watchlists', 'add', 'vip', join(dir, 'vip.csv'), '--workspace', into]);
  assert.equal(added.code, 0, added.stderr);
  const vip = await same(['query', "_GetWatchlist('vip') | project Host, Owner", '--workspace', into, '--format', 'json']);
  assert.match(vip.stdout, /"bob, jr"/);
  const count = (w: string) => same(['query', 'DeviceNetworkEvents | summarize n = count(), d = dcount(RemoteUrl), t = max(Timestamp)', '--workspace', w, '--format', 'json']);
  assert.equal((await count(into)).stdout, (await count(ws)).stdout);
});

test('the built CLI serves the web app and answers a remote query (azure-kusto-data, loaded on first use) through itself', { skip }, async () => {
  const ws = join(dir, 'served');
  assert.equal((await runBuilt(['demo', '--workspace', ws, '--devices', '3', '--days', '1'])).code, 0);
  const child = spawn(process.execPath, [BIN, 'serve', '--workspace', ws, '--port', '0'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`no address printed:\n${out}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d.toString('utf8');
        const m = /serving .* at (http:\/\/[^\s/]+)\//.exec(out);
        if (m) {
          clearTimeout(timer);
          done(m[1]!);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<!doctype html>/i);
    const args = ['query', 'DeviceNetworkEvents | summarize n = count() by ActionType | order by ActionType asc', '--cluster', url, '--database', 'kqlite', '--auth', 'none', '--format', 'json'];
    const [remote, local] = await Promise.all([runBuilt(args), runBuilt(['query', 'DeviceNetworkEvents | summarize n = count() by ActionType | order by ActionType asc', '--workspace', ws, '--format', 'json'])]);
    assert.equal(remote.code, 0, remote.stderr);
    assert.deepEqual((JSON.parse(remote.stdout) as { rows: unknown[] }).rows, (JSON.parse(local.stdout) as { rows: unknown[] }).rows);
  } finally {
    child.kill('SIGINT');
  }
});
