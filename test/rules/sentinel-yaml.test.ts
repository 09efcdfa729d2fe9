// Each known defect of upstream rule YAML: the broken input, what the repair makes of it, and what stays refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryToFile, readRuleYaml } from '../../src/rules/index.js';

const ok = (text: string) => {
  const r = readRuleYaml(text);
  assert.ok(r.ok, r.ok ? '' : `${r.problem.line}:${r.problem.column} ${r.problem.message}`);
  return r.rule;
};

test('CRLF and dataTypes at the dash column (every upstream RMM file) are repaired and recorded', () => {
  const text = 'id: a\r\nname: n\r\nrequiredDataConnectors:\r\n    - connectorId: MicrosoftThreatProtection\r\n    dataTypes:\r\n        - DeviceNetworkEvents\r\nquery: |\r\n    DeviceNetworkEvents\r\n    | take 1\r\n';
  const r = ok(text);
  assert.deepEqual(r.repairs.map((x) => x.id), ['crlf-line-endings', 'datatypes-indentation']);
  assert.deepEqual(r.tables, ['DeviceNetworkEvents']);
  assert.equal(r.query, 'DeviceNetworkEvents\n| take 1\n');
  assert.deepEqual(r.queryPosition, { line: 8, indent: 4 });
});

test('list items left of their key and an unindented query block are repaired together; positions stay those of the file', () => {
  const text = 'id: a\nname: n\nrequiredDataConnectors:\n- connectorId: MicrosoftThreatProtection\n  dataTypes:\n - DeviceEvents\n - DeviceNetworkEvents\nquery: |\n//comment\nDeviceEvents\n| where ActionType contains "USB"\nversion: 1.0.0\nmetadata:\n    source:\n        kind: Community\n';
  const queryOnly = ok(text.replace(' - DeviceEvents\n - DeviceNetworkEvents\n', '   - DeviceEvents\n   - DeviceNetworkEvents\n'));
  assert.deepEqual(queryOnly.repairs.map((x) => x.id), ['query-block-unindented'], 'only the repairs a file needs are applied');
  const r = ok(text);
  assert.deepEqual(r.repairs.map((x) => x.id), ['sequence-under-indented', 'query-block-unindented']);
  assert.deepEqual(r.tables, ['DeviceEvents', 'DeviceNetworkEvents']);
  assert.equal(r.query, '//comment\nDeviceEvents\n| where ActionType contains "USB"\n');
  assert.equal(r.fields['version'], '1.0.0');
  // 'ActionType' is on query line 3, column 9 → file line 11, column 9 (the file's query is not indented)
  assert.deepEqual(queryToFile(r.queryPosition!, { line: 3, column: 9 }), { line: 11, column: 9 });
});

test('a valid file is not touched', () => {
  const r = ok('id: a\nname: n\nrequiredDataConnectors:\n  - connectorId: X\n    dataTypes:\n      - DeviceInfo\nquery: |\n  DeviceInfo\n');
  assert.deepEqual(r.repairs, []);
});

test('merge-conflict markers are refused with their lines, never resolved by picking a side', () => {
  const text = 'id: a\nname: n\nquery: |\n  T\n<<<<<<< Updated upstream\n  | where a == 1\n=======\n  | where a == 2\n>>>>>>> Stashed changes\n  | take 1\n';
  const r = readRuleYaml(text);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.problem.line, 5);
  assert.equal(r.problem.conflict, true);
  assert.match(r.problem.message, /merge-conflict markers \(<<<<<<< at line 5, ======= at line 7, >>>>>>> at line 9\)/);
});

test('YAML no repair can fix keeps the parser\'s first problem and position', () => {
  const r = readRuleYaml('id: a\nname: [unclosed\nquery: |\n  T\n');
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.ok(r.problem.line >= 2);
    assert.ok(r.problem.message.length > 5);
    assert.notEqual(r.problem.conflict, true);
  }
});
