/**
 * Running rule tests: each test gets a temporary workspace of its own (inputs.ts), the rule runs in it through
 * `runHunt` (the code `kqlite hunt` runs, fused scans or not, findings in an in-memory findings database),
 * and the rule's result rows and findings are checked against the test's expectations (expectations.ts).
 * A test errors (rather than fails) when it cannot run: its definition or inputs are wrong, the rule does
 * not validate or its query fails.
 */
import { defaultCatalog, type Catalog, type FunctionLibrary } from '../../kql/semantics/index.js';
import type { ResultTable } from '../../engine/index.js';
import { openMemoryDb } from '../db.js';
import { runHunt } from '../run-hunt.js';
import { actualOf, checkExpectations, type Actual, type Failure } from './expectations.js';
import { prepareInputs } from './inputs.js';
import type { TestSuite } from './suites.js';
import type { RuleTest, TestProblem } from './test-file.js';

export interface TestOutcome {
  suite: TestSuite;
  /** Undefined for a suite that could not be read at all (its problems are the outcome). */
  test?: RuleTest;
  name: string;
  status: 'passed' | 'failed' | 'error';
  failures: Failure[];
  problems: TestProblem[];
  durationMs: number;
  actual?: Actual;
}

export interface RunTestsOptions {
  catalog?: Catalog;
  /** Share scans between the rule's where chains as `kqlite hunt` does (default true). */
  fused?: boolean;
  library?: FunctionLibrary;
  /** Called after each test (progress, watch mode). */
  onOutcome?: (o: TestOutcome) => void;
}

async function runOne(suite: TestSuite, test: RuleTest, opts: RunTestsOptions): Promise<TestOutcome> {
  const started = Date.now();
  const out: TestOutcome = { suite, test, name: test.name, status: 'error', failures: [], problems: [...test.problems], durationMs: 0 };
  const done = () => {
    out.durationMs = Date.now() - started;
    return out;
  };
  const rule = suite.rule;
  if (out.problems.length || !rule) return done();
  if (rule.status === 'error') {
    const d = rule.diagnostics.find((x) => x.severity === 'error');
    out.problems.push({ ...(suite.ruleLine ?? test.pos), message: `the rule does not validate: ${d?.code ?? ''} ${d?.message ?? ''}`.replace(/\s+/g, ' ').trim() });
    return done();
  }
  const catalog = opts.catalog ?? defaultCatalog();
  const inputs = await prepareInputs(test, suite.testFile, rule.tables, catalog);
  try {
    out.problems.push(...inputs.problems);
    if (out.problems.length) return done();
    const asOf = test.asOf?.value ?? inputs.source.maxTimestamp();
    if (asOf === undefined) {
      out.problems.push({ ...test.pos, message: 'the test has no rows with a time and no asOf: give asOf (now() for the rule)' });
      return done();
    }
    let result: ResultTable | undefined;
    const db = openMemoryDb();
    try {
      // a hunt that cannot run at all (not one rule's failure, which the summary reports) is this test's error
      const summary = runHunt({
        rules: [rule], source: inputs.source, db, asOf, actor: 'kqlite test', fused: opts.fused ?? true,
        ...(opts.library ? { library: opts.library } : {}),
        onResult: (_r, table) => (result = table),
      });
      const ran = summary.rules[0]!;
      if (ran.outcome !== 'ran') {
        out.problems.push({ ...(suite.ruleLine ?? test.pos), message: `the rule ${ran.outcome === 'skipped' ? 'was not run' : 'failed'}: ${ran.reason ?? ''}` });
        return done();
      }
      out.actual = actualOf(result, summary.findingIds.length);
    } catch (e) {
      out.problems.push({ ...(suite.ruleLine ?? test.pos), message: `the rule could not be run: ${e instanceof Error ? e.message : String(e)}` });
      return done();
    } finally {
      db.close();
    }
    out.failures = checkExpectations(test.expect, out.actual);
    out.status = out.failures.length ? 'failed' : 'passed';
    return done();
  } finally {
    inputs.close();
  }
}

/** Runs every test of the suites, one after another (each in its own workspace). */
export async function runTestSuites(suites: readonly TestSuite[], opts: RunTestsOptions = {}): Promise<TestOutcome[]> {
  const outcomes: TestOutcome[] = [];
  const emit = (o: TestOutcome) => {
    outcomes.push(o);
    opts.onOutcome?.(o);
  };
  for (const suite of suites) {
    if (suite.problems.length || !suite.rule) {
      emit({ suite, name: '(tests file)', status: 'error', failures: [], problems: suite.problems.length ? suite.problems : [{ file: suite.testFile, line: 1, column: 1, message: 'no rule to test' }], durationMs: 0 });
      continue;
    }
    if (!suite.tests.length) {
      emit({ suite, name: '(tests file)', status: 'error', failures: [], problems: [{ file: suite.testFile, line: 1, column: 1, message: 'the `tests:` list is empty' }], durationMs: 0 });
      continue;
    }
    for (const test of suite.tests) emit(await runOne(suite, test, opts));
  }
  return outcomes;
}
