// lazyPackage: nothing is loaded until the first call, and every call gives the same module.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { lazyPackage } from '../../src/common/lazy-package.js';

test('a package is loaded on the first call, once, and is the module require gives', () => {
  const require = createRequire(import.meta.url);
  const path = require.resolve('mmdb-lib');
  const before = path in require.cache;
  const mmdb = lazyPackage<typeof import('mmdb-lib')>('mmdb-lib');
  if (!before) assert.equal(path in require.cache, false, 'loaded before the first call');
  const first = mmdb();
  assert.equal(typeof first.Reader, 'function');
  assert.equal(mmdb(), first);
  assert.equal(require('mmdb-lib'), first);
});

test('a package that is missing fails at the call that needs it, naming it', () => {
  const missing = lazyPackage<unknown>('kqlite-no-such-package');
  assert.throws(() => missing(), /kqlite-no-such-package/);
});
