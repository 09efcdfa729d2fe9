/**
 * The shared CI output formats (src/rules/ci-formats) read back by independent readers: JUnit XML by
 * junit2json, SARIF against the OASIS SARIF 2.1.0 JSON schema (ajv, draft-04), GitHub annotations in the
 * workflow-command form GitHub documents, TAP 14 line by line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseJunit } from 'junit2json';
import { githubAnnotations, junitXml, sarifLog, tapText, writeCiReport, type CiReport } from '../../src/rules/ci-formats/index.js';
import { sarifValidator } from '../helpers/sarif-schema.js';


const REPORT: CiReport = {
  command: 'test',
  toolVersion: '0.1.0',
  codes: [{ id: 'KQLT001', description: 'a rule test failed' }],
  results: [
    { group: 'rules/a.yaml', name: 'fires on AnyDesk', status: 'passed', durationMs: 12, location: { file: 'rules/a.yaml', line: 30, column: 5 } },
    { group: 'rules/a.yaml', name: 'quiet on <benign> & "other"', status: 'failed', code: 'KQLT001', message: 'expected 0 rows, got 1: a, b', details: '- expected\n+ actual\n+ {"DeviceName": "pc-1"}\u0001', durationMs: 3, location: { file: 'rules/a.yaml', line: 41, column: 5, endLine: 41, endColumn: 20 } },
    { group: 'rules/b folder/b.yaml', name: 'cannot run', status: 'error', message: '100% broken: unknown column Foo, see line 3', location: { file: 'rules/b folder/b.yaml', line: 3, column: 7 } },
    { group: 'rules/c.yaml', name: 'needs a table', status: 'skipped', message: 'no rows # given' },
    { group: 'rules/c.yaml', name: 'lint', status: 'failed', level: 'warning', code: 'KQLL001', message: 'no time filter', location: { file: '/abs/rules/c.yaml', line: 9 } },
  ],
};

test('JUnit XML: junit2json reads back every suite, case, failure, error and skip, with escapes intact', async () => {
  const xml = junitXml(REPORT);
  const doc = (await parseJunit(xml)) as any;
  assert.equal(doc.tests, 5);
  assert.equal(doc.failures, 2);
  assert.equal(doc.errors, 1);
  assert.deepEqual(doc.testsuite.map((s: any) => [s.name, s.tests, s.failures, s.errors, s.skipped]), [
    ['rules/a.yaml', 2, 1, 0, 0], ['rules/b folder/b.yaml', 1, 0, 1, 0], ['rules/c.yaml', 2, 1, 0, 1],
  ]);
  const failed = doc.testsuite[0].testcase[1];
  assert.equal(failed.name, 'quiet on <benign> & "other"');
  assert.equal(failed.failure[0].message, 'expected 0 rows, got 1: a, b');
  assert.equal(failed.failure[0].inner, '- expected\n+ actual\n+ {"DeviceName": "pc-1"}'); // the control character is dropped
  assert.equal(doc.testsuite[1].testcase[0].error[0].message, '100% broken: unknown column Foo, see line 3');
  assert.equal(doc.testsuite[2].testcase[0].skipped[0].message, 'no rows # given');
  assert.equal(doc.testsuite[0].testcase[0].time, 0.012);
});

test('SARIF: valid against the SARIF 2.1.0 schema; only failures are results; relative paths under %SRCROOT%', () => {
  const log = sarifLog(REPORT) as any;
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
  const results = log.runs[0].results;
  assert.equal(results.length, 3);
  assert.deepEqual(results.map((r: any) => [r.ruleId, r.level]), [['KQLT001', 'error'], ['kqlite-test', 'error'], ['KQLL001', 'warning']]);
  assert.deepEqual(results[0].locations[0].physicalLocation, { artifactLocation: { uri: 'rules/a.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 41, startColumn: 5, endLine: 41, endColumn: 20 } });
  assert.equal(results[1].locations[0].physicalLocation.artifactLocation.uri, 'rules/b%20folder/b.yaml');
  assert.equal(results[2].locations[0].physicalLocation.artifactLocation.uri, 'file:///abs/rules/c.yaml');
  for (const r of results) assert.equal(log.runs[0].tool.driver.rules[r.ruleIndex].id, r.ruleId);
  // a broken log is refused by the same validator (the check can fail)
  assert.equal(validate({ ...log, version: '2.0.0' }), false);
  assert.equal(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...results[0], level: 'fatal' }] }] }), false);
});

test('GitHub annotations: ::error file=,line=,col=:: with the documented escapes; warnings as ::warning', () => {
  const lines = githubAnnotations(REPORT).trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[0], '::error file=rules/a.yaml,line=41,col=5,endLine=41,endColumn=20,title=KQLT001 quiet on <benign> & "other"::expected 0 rows, got 1: a, b%0A- expected%0A+ actual%0A+ {"DeviceName": "pc-1"}\u0001');
  assert.equal(lines[1], '::error file=rules/b folder/b.yaml,line=3,col=7,title=cannot run::100%25 broken: unknown column Foo, see line 3');
  assert.equal(lines[2], '::warning file=/abs/rules/c.yaml,line=9,title=KQLL001 lint::no time filter');
  assert.equal(lines[3], 'kqlite test: 1 passed, 3 failed, 1 skipped');
  const FORM = /^::(error|warning|notice) ((file|line|col|endLine|endColumn|title)=[^,:]*)(,(file|line|col|endLine|endColumn|title)=[^,:]*)*::[^\r\n]*$/;
  for (const l of lines.slice(0, 3)) assert.match(l, FORM);
  // a command with its own closing line (kqlite check) says it instead of passed/failed counts
  assert.match(githubAnnotations({ ...REPORT, summary: 'checked 3 files: 2 errors, 1 warning' }), /\nkqlite test: checked 3 files: 2 errors, 1 warning\n$/);
  // a title with ':' and ',' is escaped, not cut
  assert.match(githubAnnotations({ ...REPORT, results: [{ group: 'g', name: 'a: b, c', status: 'failed', message: 'm' }] }), /title=a%3A b%2C c::m/);
});

test('TAP 14: plan, ok/not ok with the YAML block, SKIP directive, escaped #', () => {
  const tap = tapText(REPORT);
  const lines = tap.split('\n');
  assert.equal(lines[0], 'TAP version 14');
  assert.equal(lines[1], '1..5');
  assert.equal(lines[2], 'ok 1 - rules/a.yaml > fires on AnyDesk');
  assert.equal(lines[3], 'not ok 2 - rules/a.yaml > quiet on <benign> & "other"');
  assert.equal(lines[4], '  ---');
  assert.match(tap, /ok 4 - rules\/c\.yaml > needs a table # SKIP no rows \\# given\n/);
  assert.match(tap, / {2}details: \|-\n {4}- expected\n {4}\+ actual\n/);
  const points = lines.filter((l) => /^(not )?ok \d+ /.test(l)).map((l) => Number(/ok (\d+)/.exec(l)![1]));
  assert.deepEqual(points, [1, 2, 3, 4, 5]);
  // every YAML block is closed
  assert.equal(lines.filter((l) => l === '  ---').length, lines.filter((l) => l === '  ...').length);
});

test('writeCiReport picks the writer by name', () => {
  assert.equal(writeCiReport(REPORT, 'junit'), junitXml(REPORT));
  assert.equal(writeCiReport(REPORT, 'tap'), tapText(REPORT));
  assert.equal(writeCiReport(REPORT, 'github'), githubAnnotations(REPORT));
  assert.deepEqual(JSON.parse(writeCiReport(REPORT, 'sarif')), sarifLog(REPORT));
});
