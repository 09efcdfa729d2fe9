// The allow form's checks run before anything is sent: a reason is required, the expiry must be ahead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toAllowRequest, validateAllow, type AllowFields } from '../../src/web/pages/allow-form.js';

const base: AllowFields = { target: 'Action1', targetKind: 'tool', device: 'it-admin-*', user: '', signer: '', reason: 'CHG-1234 IT patching', expires: '' };

test('a reason is required and must say something', () => {
  assert.deepEqual(validateAllow(base), {});
  assert.match(validateAllow({ ...base, reason: '   ' }).reason ?? '', /why/);
  assert.match(validateAllow({ ...base, reason: 'ok' }).reason ?? '', /at least 8/);
});

test('target and expiry are checked', () => {
  assert.match(validateAllow({ ...base, target: '' }).target ?? '', /tool/);
  assert.match(validateAllow({ ...base, expires: '2020-01-01' }, '2026-01-01').expires ?? '', /future/);
  assert.equal(validateAllow({ ...base, expires: '2026-01-02' }, '2026-01-01').expires, undefined);
});

test('the request carries only the scope fields that are set, trimmed', () => {
  assert.deepEqual(toAllowRequest({ ...base, target: ' Action1 ', reason: ' CHG-1234 IT patching ', expires: '2026-12-31' }),
    { target: 'Action1', targetKind: 'tool', reason: 'CHG-1234 IT patching', device: 'it-admin-*', expires: '2026-12-31T23:59:59Z' });
});
