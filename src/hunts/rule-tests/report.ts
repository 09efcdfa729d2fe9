/**
 * Test outcomes as people and CI read them: the text summary (PASS / FAIL / ERROR per test, each failure at
 * its file:line:column with the expected-vs-actual diff), the JSON document, and the CiReport the shared CI
 * writers (src/rules/ci-formats: JUnit, SARIF, TAP, GitHub annotations) take. A failure is placed at the rule
 * file's query line when the tests sit in a file of their own: that is the file a pull request changes, so
 * its annotation shows in the diff; the expectation's own place is named in the message.
 */
import type { CiReport, CiResult } from '../../rules/ci-formats/index.js';
import type { TestOutcome } from './run-tests.js';
import type { Pos } from './test-file.js';

export const TEST_CODES = {
  failed: { id: 'rule-test-failed', description: "a rule test's expectation did not hold: the rule returned other rows or findings than its test says" },
  error: { id: 'rule-test-error', description: 'a rule test could not run: its file, its input rows or the rule itself has a problem' },
} as const;

const at = (p: Pos) => `${p.file}:${p.line}:${p.column}`;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Where the suite's rule is, as the group of its tests: the rule file, else the rule id (built-ins). */
export const groupOf = (o: TestOutcome) => o.suite.ruleFile ?? (o.suite.rule ? `rule ${o.suite.rule.id}` : o.suite.testFile);

function lines(o: TestOutcome): string[] {
  const out: string[] = [];
  for (const p of o.problems) out.push(`${at(p)}: ${p.message}`);
  for (const f of o.failures) {
    out.push(`${at(f.pos)}: ${f.message}`);
    if (f.details) out.push(...f.details.split('\n'));
  }
  return out;
}

export function summaryCounts(outcomes: readonly TestOutcome[]) {
  return {
    passed: outcomes.filter((o) => o.status === 'passed').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    errors: outcomes.filter((o) => o.status === 'error').length,
    rules: new Set(outcomes.map(groupOf)).size,
  };
}

export function outcomeText(o: TestOutcome, paint: (code: number, s: string) => string = (_c, s) => s): string {
  const label = o.status === 'passed' ? paint(32, 'PASS ') : o.status === 'failed' ? paint(31, 'FAIL ') : paint(31, 'ERROR');
  const head = `${label} ${groupOf(o)} > ${o.name} (${o.durationMs} ms)`;
  return [head, ...lines(o).map((l) => `      ${l}`)].join('\n');
}

export function summaryText(outcomes: readonly TestOutcome[], ms: number): string {
  const c = summaryCounts(outcomes);
  return `rule tests: ${c.passed} passed, ${c.failed} failed, ${plural(c.errors, 'error')} (${plural(c.rules, 'rule')}, ${ms} ms)`;
}

export function textReport(outcomes: readonly TestOutcome[], ms: number, paint?: (code: number, s: string) => string): string {
  return [...outcomes.map((o) => outcomeText(o, paint)), '', summaryText(outcomes, ms)].join('\n') + '\n';
}

export function jsonReport(outcomes: readonly TestOutcome[], ms: number): object {
  return {
    summary: { ...summaryCounts(outcomes), durationMs: ms },
    tests: outcomes.map((o) => ({
      testFile: o.suite.testFile, ruleFile: o.suite.ruleFile ?? null, ruleId: o.suite.rule?.id ?? null, name: o.name, status: o.status, durationMs: o.durationMs,
      line: o.test?.pos.line ?? 1, column: o.test?.pos.column ?? 1,
      problems: o.problems,
      failures: o.failures.map((f) => ({ ...f.pos, message: f.message, ...(f.details ? { details: f.details } : {}) })),
      ...(o.actual ? { actual: { columns: o.actual.columns, rows: o.actual.rows.slice(0, 50), rowCount: o.actual.rows.length, findings: o.actual.findings } } : {}),
    })),
  };
}

export function ciReport(outcomes: readonly TestOutcome[], toolVersion: string): CiReport {
  const results: CiResult[] = outcomes.map((o) => {
    const base = { group: groupOf(o), name: o.name, durationMs: o.durationMs };
    if (o.status === 'passed') return { ...base, status: 'passed', message: 'passed', location: { file: o.suite.testFile, line: o.test?.pos.line ?? 1, column: o.test?.pos.column ?? 1 } };
    const detail = lines(o);
    if (o.status === 'error') {
      const p = o.problems[0]!;
      return { ...base, status: 'error', code: TEST_CODES.error.id, message: `${o.name}: ${p.message}`, ...(detail.length > 1 ? { details: detail.join('\n') } : {}), location: { file: p.file, line: p.line, column: p.column } };
    }
    const f = o.failures[0]!;
    // inline tests: the expectation is in the rule file; sibling tests: the rule file's query line
    const where = o.suite.ruleFile && f.pos.file !== o.suite.ruleFile && o.suite.ruleLine ? o.suite.ruleLine : f.pos;
    const message = `rule test "${o.name}" failed: ${f.message}${where === f.pos ? '' : ` (${at(f.pos)})`}`;
    return { ...base, status: 'failed', code: TEST_CODES.failed.id, message, details: detail.join('\n'), location: { file: where.file, line: where.line, column: where.column } };
  });
  return { command: 'test', toolVersion, results, codes: [TEST_CODES.failed, TEST_CODES.error] };
}
