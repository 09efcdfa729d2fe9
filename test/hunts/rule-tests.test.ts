// Rule tests below the CLI: typed value matching, the same outcomes fused and unfused, tests inside a Sentinel
// rule file with expectations placed on the file's own lines, and a missing result column in the diff.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadSuite, runTestSuites, sameValue, testFilesIn } from '../../src/hunts/rule-tests/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'kqlite-rule-tests-unit-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('values are compared as the result column types them', () => {
  const t = 17951328000000000n; // 2026-11-20T00:00:00Z in ticks
  assert.ok(sameValue('2026-11-20T00:00:00Z', t, 'datetime'));
  assert.ok(sameValue('2026-11-20 00:00:00.0000000', t, 'datetime'));
  assert.ok(!sameValue('2026-11-20T00:00:01Z', t, 'datetime'));
  assert.ok(sameValue('01:30:00', 54_000_000_000n, 'timespan'));
  assert.ok(sameValue(9007199254740993n, 9007199254740993n, 'long'));
  assert.ok(!sameValue(9007199254740993n, 9007199254740992, 'long'));
  assert.ok(sameValue('42', 42, 'long'));
  assert.ok(!sameValue(42.5, 42, 'long'));
  assert.ok(sameValue(0.5, 0.5, 'real'));
  assert.ok(sameValue('ABCDEF00-0000-0000-0000-000000000000', 'abcdef00-0000-0000-0000-000000000000', 'guid'));
  assert.ok(sameValue({ b: [1, 2], a: 'x' }, { a: 'x', b: [1, 2] }, 'dynamic'));
  assert.ok(!sameValue([2, 1], [1, 2], 'dynamic'));
  assert.ok(sameValue(null, null, 'long'));
  assert.ok(sameValue(null, '', 'string'));
  assert.ok(!sameValue(null, 0, 'long'));
  assert.ok(!sameValue('Action1', 'action1', 'string'));
  assert.ok(sameValue(true, true, 'bool'));
});

const RULE = `id: inline-tests
name: Inline tests of a Sentinel rule
severity: Medium
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents, DeviceNetworkEvents]
query: |
  let procs = DeviceProcessEvents | where Timestamp > ago(1d) | where FileName =~ "psexec.exe";
  let nets = DeviceNetworkEvents | where Timestamp > ago(1d) | where RemotePort == 445;
  procs
  | join kind=inner (nets) on DeviceId
  | summarize Count = count(), Ports = make_set(RemotePort) by DeviceId, DeviceName
tests:
  - name: psexec with SMB traffic on the same device
    asOf: 2026-11-20T12:00:00Z
    rows:
      DeviceProcessEvents:
        - { Timestamp: 2026-11-20T10:00:00Z, DeviceId: d1, DeviceName: pc-1, FileName: PsExec.exe }
        - { Timestamp: 2026-11-20T10:00:00Z, DeviceId: d2, DeviceName: pc-2, FileName: PsExec.exe }
      DeviceNetworkEvents:
        - { Timestamp: 2026-11-20T10:00:01Z, DeviceId: d1, RemotePort: 445 }
        - { Timestamp: 2026-11-20T10:00:02Z, DeviceId: d1, RemotePort: 445 }
        - { Timestamp: 2026-11-20T10:00:02Z, DeviceId: d2, RemotePort: 80 }
    expect:
      findings: 1
      contains:
        - { DeviceName: pc-1, Count: 2, Ports: [445] }
  - name: a column the result does not have
    asOf: 2026-11-20T12:00:00Z
    rows:
      DeviceProcessEvents:
        - { Timestamp: 2026-11-20T10:00:00Z, DeviceId: d1, DeviceName: pc-1, FileName: psexec.exe }
      DeviceNetworkEvents:
        - { Timestamp: 2026-11-20T10:00:01Z, DeviceId: d1, RemotePort: 445 }
    expect:
      contains:
        - { DeviceName: pc-1, RemoteIP: 10.0.0.1 }
`;

test('tests inside a Sentinel rule file run through the hunt, fused and unfused alike; failures sit on the file\'s lines', async () => {
  const file = join(tmp, 'psexec.yaml');
  writeFileSync(file, RULE);
  assert.deepEqual(testFilesIn([tmp]).files, [file]);
  const suite = loadSuite(file);
  assert.equal(suite.problems.length, 0, JSON.stringify(suite.problems));
  assert.equal(suite.ruleLine?.line, 7); // the `query: |` line
  const fused = await runTestSuites([suite], { fused: true });
  const unfused = await runTestSuites([loadSuite(file)], { fused: false });
  assert.deepEqual(fused.map((o) => [o.status, o.actual?.rows]), unfused.map((o) => [o.status, o.actual?.rows]));
  assert.equal(fused[0]!.status, 'passed', JSON.stringify(fused[0]!.failures));
  const failed = fused[1]!;
  assert.equal(failed.status, 'failed');
  assert.deepEqual({ file: failed.failures[0]!.pos.file, line: failed.failures[0]!.pos.line }, { file, line: 37 });
  assert.match(failed.failures[0]!.details!, /- RemoteIP: "10\.0\.0\.1"\n {2}\+ RemoteIP: \(no such column; the result has DeviceId, DeviceName, Count, Ports\)/);
});

test('tests files beside rules are not rules: rules import and validate leave them out', async () => {
  const { importRules } = await import('../../src/rules/index.js');
  const r = importRules('test/rule-tests/seed');
  assert.deepEqual([r.files, r.loaded, r.failed], [3, 3, 0]);
});
