// The documented CI recipe (docs/ci/kqlite-rules.yml) run as GitHub Actions would run its kqlite steps: each
// step's `run:` commands, read from the workflow file, in bash -e with `kqlite` on the PATH, on a sample rules
// repository built here (the seed rules with their tests, a Sigma rule). A sound repository passes every
// step and leaves a JUnit report and a SARIF log; a broken rule fails the test step with an annotation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseJunit } from 'junit2json';
import { parse as parseYaml } from 'yaml';
import { cliArgv } from '../helpers/cli.js';
import { sarifValidator } from '../helpers/sarif-schema.js';

const RECIPE = 'docs/ci/kqlite-rules.yml';
const tmp = mkdtempSync(join(tmpdir(), 'kqlite-ci-recipe-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Step { name?: string; run?: string; uses?: string; if?: string }

/** The steps of the recipe that run kqlite (the install step is the runner's business, not the test's). */
function kqliteSteps(): Step[] {
  const wf = parseYaml(readFileSync(RECIPE, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  return steps.filter((s) => s.run !== undefined && /(^|\s)kqlite\s/.test(s.run) && !/npm install/.test(s.run));
}

/** A `kqlite` command on the PATH that runs this checkout's CLI. */
function binDir(): string {
  const bin = join(tmp, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'kqlite'), `#!/bin/sh\nexec "${process.execPath}" ${cliArgv().map((a) => `"${a}"`).join(' ')} "$@"\n`);
  chmodSync(join(bin, 'kqlite'), 0o755);
  return bin;
}

function sampleRepo(name: string): string {
  const repo = join(tmp, name);
  cpSync('test/rule-tests/seed', join(repo, 'rules', 'rmm'), { recursive: true });
  cpSync('test/rule-tests/sigma', join(repo, 'rules', 'sigma'), { recursive: true });
  return repo;
}

function runSteps(repo: string, only?: (s: Step) => boolean) {
  const PATH = `${binDir()}:${process.env['PATH']}`;
  return kqliteSteps().filter((s) => !only || only(s)).map((s) => {
    // GitHub runs a run: block as `bash -e {0}` (plus pipefail when shell: bash is named)
    const r = spawnSync('bash', ['-e', '-c', s.run!], { cwd: repo, env: { ...process.env, PATH, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: 'true' }, encoding: 'utf8', timeout: 120_000 });
    return { step: s, code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  });
}

test('the recipe has check, test, JUnit and SARIF steps that call kqlite', () => {
  const runs = kqliteSteps().map((s) => s.run!.trim());
  assert.ok(runs.some((r) => /^kqlite check --format github rules$/.test(r)), runs.join('\n'));
  assert.ok(runs.some((r) => /^kqlite test --format github rules$/.test(r)));
  assert.ok(runs.some((r) => /kqlite test --format junit rules > kqlite-tests\.xml/.test(r)));
  assert.ok(runs.some((r) => /kqlite test --format sarif rules > kqlite-tests\.sarif/.test(r)));
});

test('on a sound rules repository every kqlite step of the recipe passes and leaves JUnit and SARIF reports', async () => {
  const repo = sampleRepo('sound');
  const results = runSteps(repo);
  for (const r of results) assert.equal(r.code, 0, `${r.step.name}: ${r.stdout}${r.stderr}`);
  const junit = (await parseJunit(readFileSync(join(repo, 'kqlite-tests.xml'), 'utf8'))) as { tests: number; failures: number; errors: number };
  assert.equal(junit.tests, 10);
  assert.equal(junit.failures + junit.errors, 0);
  const sarif = JSON.parse(readFileSync(join(repo, 'kqlite-tests.sarif'), 'utf8'));
  assert.ok(sarifValidator()(sarif));
  assert.equal(sarif.runs[0].results.length, 0);
});

test('a broken rule fails the test step with an annotation at the rule; the report steps still write their files', async () => {
  const repo = sampleRepo('broken');
  const rule = join(repo, 'rules', 'rmm', 'rmm_TacticalRMM_netconn.yaml');
  writeFileSync(rule, readFileSync(rule, 'utf8').replace('has_any (', 'in ('));
  // the steps that test (check passed on these files above; the rule still parses and binds)
  const results = runSteps(repo, (s) => /kqlite test/.test(s.run!));
  assert.equal(results.length, 3);
  const byName = new Map(results.map((r) => [r.step.name, r]));
  const t = byName.get('Test the rules')!;
  assert.equal(t.code, 1);
  assert.match(t.stdout, /^::error file=rules\/rmm\/rmm_TacticalRMM_netconn\.yaml,line=12,col=1,title=rule-test-failed [^:]*::rule test "fires for either publisher of the agent, one finding per device" failed: expected 2 result rows, got 1 \(rules\/rmm\/rmm_TacticalRMM_netconn\.tests\.yaml:27:13\)%0A/m);
  const junit = (await parseJunit(readFileSync(join(repo, 'kqlite-tests.xml'), 'utf8'))) as { failures: number };
  assert.equal(junit.failures, 1);
  const sarif = JSON.parse(readFileSync(join(repo, 'kqlite-tests.sarif'), 'utf8'));
  assert.ok(sarifValidator()(sarif));
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'rules/rmm/rmm_TacticalRMM_netconn.yaml');
});
