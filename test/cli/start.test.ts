// `kqlite start` (npm start): the demo hunt finds the planted RMM use and none of the decoys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';

test('the quickstart hunt finds every planted tool and no decoy', async () => {
  const r = await runCli(['start']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Action1 - Network Connection \[Action1\]: 1 finding/);
  assert.match(r.stdout, /mRemoteNG - Network Connection \[mRemoteNG\]: 1 finding/);
  assert.match(r.stdout, /TacticalRMM - Network Connection \[TacticalRMM\]: 1 finding/);
  assert.match(r.stdout, /it-admin-01 +https:\/\/server\.action1\.com\/agent\/check/);
  assert.doesNotMatch(r.stdout, /notaction1\.com|action1\.com\.example\.net|laptop-03[12]/);
  assert.match(r.stdout, /summary: 3 rules run, 0 failed, 3 findings/);
});

test('the same seed gives the same output', async () => {
  const a = await runCli(['start', '--seed', '11']);
  const b = await runCli(['start', '--seed', '11']);
  assert.equal(a.stdout.replace(/\d+ ms/g, ''), b.stdout.replace(/\d+ ms/g, ''));
});
