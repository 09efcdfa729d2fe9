/**
 * `kqlite test --watch`: after the first run, watch the folders of every rule, tests file and input file, and
 * when files change re-run the tests of the rules they belong to (a changed rule file, tests file or input
 * file re-runs that suite; a new tests file is picked up). Changes are gathered for a short moment first, as
 * editors write a file in several steps. Runs until interrupted (Ctrl-C), then exits 1 if any test failed when it last ran.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadSuite, runTestSuites, testFilesIn, type TestOutcome, type TestSuite } from '../hunts/rule-tests/index.js';

export interface WatchOptions {
  paths: string[];
  run: (suites: TestSuite[], label: string) => Promise<TestOutcome[]>;
  /** Gathering time after the first change, ms. */
  settleMs?: number;
  signal?: AbortSignal;
}

/** Every file a suite depends on, absolute: the tests file, the rule file, the input files. */
export function filesOf(suite: TestSuite): string[] {
  const base = dirname(resolve(suite.testFile));
  const out = [resolve(suite.testFile)];
  if (suite.ruleFile) out.push(resolve(suite.ruleFile));
  for (const t of suite.tests) {
    for (const i of t.tables) if (i.file) out.push(resolve(base, i.file.value));
    for (const f of t.files) out.push(resolve(base, f.value));
  }
  return out;
}

export async function watchTests(opts: WatchOptions): Promise<number> {
  let suites = testFilesIn(opts.paths).files.map(loadSuite);
  // whether each tests file passed when it last ran: the exit code is that of all of them, not of the last run
  const passing = new Map<string, boolean>();
  const record = (outcomes: TestOutcome[]) => {
    const files = new Set(outcomes.map((o) => resolve(o.suite.testFile)));
    for (const f of files) passing.set(f, outcomes.every((o) => resolve(o.suite.testFile) !== f || o.status === 'passed'));
  };
  record(await opts.run(suites, 'all tests'));
  const watchers = new Map<string, FSWatcher>();
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const code = () => (suites.every((s) => passing.get(resolve(s.testFile)) !== false) ? 0 : 1);

  const watchFolders = () => {
    const folders = new Set<string>(opts.paths.map((p) => resolve(p)));
    for (const s of suites) for (const f of filesOf(s)) folders.add(dirname(f));
    for (const dir of folders) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, (_event, name) => {
          if (!name) return;
          changed.add(join(dir, name.toString()));
          clearTimeout(timer);
          timer = setTimeout(() => (running = running.then(rerun)), opts.settleMs ?? 150);
        });
        w.on('error', () => watchers.delete(dir));
        watchers.set(dir, w);
      } catch {
        // a folder that is not there (a path given as a file): its parent is watched
      }
    }
    process.stdout.write(`watching ${suites.length} test file${suites.length === 1 ? '' : 's'} for changes (Ctrl-C to stop)\n`);
  };

  const rerun = async () => {
    const paths = new Set(changed);
    changed.clear();
    const known = new Set(suites.map((s) => resolve(s.testFile)));
    const fresh = testFilesIn(opts.paths).files.map(loadSuite);
    const affected = fresh.filter((s) => !known.has(resolve(s.testFile)) || filesOf(s).some((f) => paths.has(f)));
    suites = fresh;
    if (affected.length) {
      const names = affected.map((s) => s.ruleFile ?? s.testFile).join(', ');
      record(await opts.run(affected, `changed: ${names}`));
    }
    watchFolders();
  };

  watchFolders();
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    opts.signal?.addEventListener('abort', stop, { once: true });
  });
  clearTimeout(timer);
  for (const w of watchers.values()) w.close();
  await running;
  return code();
}

export { runTestSuites };
