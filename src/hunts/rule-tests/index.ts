/** Rule tests (`kqlite test`): tests kept with the rule, run in workspaces of their own through the hunt code. */
export { loadSuite, testFilesIn, siblingTests, TESTS_FILE, type TestSuite } from './suites.js';
export { runTestSuites, type TestOutcome, type RunTestsOptions } from './run-tests.js';
export { textReport, outcomeText, summaryText, summaryCounts, jsonReport, ciReport, TEST_CODES } from './report.js';
export { parseYamlFile, readTestsDocument, type RuleTest, type TestProblem, type Pos } from './test-file.js';
export { sameValue, type Actual, type Failure } from './expectations.js';
