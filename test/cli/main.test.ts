import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';

test('kqlite --help lists the commands', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /usage: kqlite <command>/);
  assert.match(r.stdout, /check/);
});

test('an unknown command is refused with exit 1', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});
