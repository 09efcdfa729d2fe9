// Data tables for the pieces of source syncing with many cases: web addresses of upstream files, include /
// exclude globs, query identity, and line diffs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sources } from '../../src/rules/index.js';

test('the web address of a file at a commit: GitHub, GitLab, Bitbucket (https, ssh, .git), a template, none for local paths', () => {
  const c = '0123456789abcdef0123456789abcdef01234567';
  const cases: [{ url: string; webUrl?: string }, string | undefined][] = [
    [{ url: 'https://github.com/Azure/Azure-Sentinel' }, `https://github.com/Azure/Azure-Sentinel/blob/${c}/Hunting%20Queries/a%20b.yaml`],
    [{ url: 'https://github.com/Azure/Azure-Sentinel.git' }, `https://github.com/Azure/Azure-Sentinel/blob/${c}/Hunting%20Queries/a%20b.yaml`],
    [{ url: 'git@github.com:SigmaHQ/sigma.git' }, `https://github.com/SigmaHQ/sigma/blob/${c}/Hunting%20Queries/a%20b.yaml`],
    [{ url: 'https://gitlab.com/group/rules' }, `https://gitlab.com/group/rules/-/blob/${c}/Hunting%20Queries/a%20b.yaml`],
    [{ url: 'https://bitbucket.org/team/rules.git' }, `https://bitbucket.org/team/rules/src/${c}/Hunting%20Queries/a%20b.yaml`],
    [{ url: '/srv/mirrors/rules', webUrl: 'https://git.internal.example/rules/{commit}/{path}?plain=1' }, `https://git.internal.example/rules/${c}/Hunting%20Queries/a%20b.yaml?plain=1`],
    [{ url: '/srv/mirrors/rules' }, undefined],
    [{ url: 'file:///srv/mirrors/rules.git' }, undefined],
    [{ url: 'https://git.example.com/rules.git' }, undefined],
  ];
  for (const [src, want] of cases) assert.equal(sources.fileWebUrl(src, c, 'Hunting Queries/a b.yaml'), want, JSON.stringify(src));
});

test('include and exclude globs on repository paths', () => {
  const cases: [string[], string[], string, boolean][] = [
    [[], [], 'Detections/a.yaml', true],
    [['Detections'], [], 'Detections/SigninLogs/a.yaml', true],
    [['Detections'], [], 'Hunting Queries/a.yaml', false],
    [['**/*.kql'], [], 'deep/er/q.kql', true],
    [['*.kql'], [], 'deep/q.kql', true],
    [['Solutions/*/Analytic Rules'], [], 'Solutions/Network Session Essentials/Analytic Rules/PortScan.yaml', true],
    [['Solutions/*/Analytic Rules'], [], 'Solutions/X/Hunting Queries/h.yaml', false],
    [[], ['**/test*'], 'Parsers/ASimDns/Parsers/test.yaml', false],
    [['Parsers', 'Detections'], ['Parsers/**/ARM'], 'Parsers/ASimDns/ARM/x.json', false],
    [['rule?.yaml'], [], 'rule1.yaml', true],
  ];
  for (const [inc, exc, path, want] of cases) assert.equal(sources.pathFilter(inc, exc)(path), want, `${inc} - ${exc}: ${path}`);
});

test('query identity ignores comments, blank lines and layout, not meaning', () => {
  const a = 'DeviceProcessEvents\n| where FileName =~ "a.exe" // the tool\n| project DeviceName';
  assert.equal(sources.queryIdentity(a), sources.queryIdentity('// a copy\nDeviceProcessEvents | where FileName =~ "a.exe"\n\n|   project DeviceName\n'));
  assert.notEqual(sources.queryIdentity(a), sources.queryIdentity(a.replace('a.exe', 'b.exe')));
  assert.notEqual(sources.queryIdentity(a), sources.queryIdentity(a.replace('"a.exe"', '"a.exe // not a comment"')));
});

test('line diffs: common lines kept, removals before additions', () => {
  const d = sources.lineDiff('a\nb\nc\nd', 'a\nB\nc\nd\ne');
  assert.deepEqual(d.map((l) => `${l.op}${l.text}`), [' a', '-b', '+B', ' c', ' d', '+e']);
  assert.deepEqual(sources.lineDiff('same', 'same').map((l) => l.op), [' ']);
  assert.equal(sources.diffText(sources.lineDiff('1\n2\n3\n4\n5\n6\n7\n8\n9', '1\n2\n3\n4\n5\n6\n7\n8\nX'), 1), '  8\n- 9\n+ X');
});
