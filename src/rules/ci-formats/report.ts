/**
 * The one shape every CI output format is written from, so `kqlite test` (rule tests) and `kqlite check`
 * (syntax, schema and lint diagnostics) share the writers: a run is a list of results, each one test case or
 * one diagnostic, with where it points in a file. Writers are pure functions of a CiReport (no clock, no
 * file system), so their output is stable and testable byte for byte.
 */

/** How bad a result is, in SARIF's words (GitHub: error / warning / notice; JUnit and TAP: failed or not). */
export type CiLevel = 'error' | 'warning' | 'note';

/**
 * passed: a test that held. failed: a test whose expectation did not hold, or a diagnostic. error: a test
 * that could not run (bad test file, query that does not run). skipped: neither ran nor failed.
 */
export type CiStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface CiLocation {
  /** Path as the user gave it (relative paths stay relative: CI annotations resolve them from the repository root). */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based, in characters. */
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export interface CiResult {
  /** The group it belongs to: a JUnit testsuite, the TAP subtest's name prefix (a rule file, a rule id). */
  group: string;
  /** The test's name, or a diagnostic's short title. */
  name: string;
  status: CiStatus;
  /** Default: error for failed/error results, none for passed/skipped. Lint warnings say 'warning'. */
  level?: CiLevel;
  /** SARIF reportingDescriptor id: a diagnostic code (KQL2001, a lint code) or the rule test kind. */
  code?: string;
  /** One line: what happened. */
  message: string;
  /** More lines: the diff of expected and actual rows, a rendered diagnostic. */
  details?: string;
  location?: CiLocation;
  durationMs?: number;
}

/** What a code means (SARIF's tool.driver.rules). */
export interface CiCodeInfo {
  id: string;
  /** One sentence. */
  description: string;
  helpUri?: string;
}

export interface CiReport {
  /** The kqlite command that produced it: 'test', 'check'. */
  command: string;
  /** kqlite's version (package.json). */
  toolVersion: string;
  results: CiResult[];
  /** Codes used by the results, described once (optional; SARIF lists them). */
  codes?: CiCodeInfo[];
  /**
   * The closing line of the GitHub and TAP outputs, when the command has its own (`kqlite check`: "checked 4
   * files: 1 error, 2 warnings"); default "N passed, N failed[, N skipped]", which suits tests.
   */
  summary?: string;
}

export const levelOf = (r: CiResult): CiLevel | 'none' => r.level ?? (r.status === 'failed' || r.status === 'error' ? 'error' : 'none');

/** Counts by status, in a fixed order. */
export function tally(results: readonly CiResult[]): Record<CiStatus, number> {
  const t: Record<CiStatus, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const r of results) t[r.status]++;
  return t;
}

/** Results grouped by `group`, groups in the order they first appear. */
export function groupsOf(results: readonly CiResult[]): Map<string, CiResult[]> {
  const m = new Map<string, CiResult[]>();
  for (const r of results) {
    const g = m.get(r.group);
    if (g) g.push(r);
    else m.set(r.group, [r]);
  }
  return m;
}
