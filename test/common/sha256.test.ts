// The hunt's finding ids are SHA-256 digests made without node:crypto (src/common/sha256.ts): they must be
// the digests node:crypto gives, for every length around the block boundaries and any text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../src/common/sha256.js';

const nodeSha256 = (s: string) => createHash('sha256').update(s).digest('hex');

test('sha256Hex equals node:crypto for every length up to 300 bytes and for non-ASCII text', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (let n = 0; n <= 300; n++) {
    const s = Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7 + n) % 90))).join('');
    assert.equal(sha256Hex(s), nodeSha256(s), `length ${n}`);
  }
  for (const s of ['7da76b41-8c1d-4602-91c6-5d99738d38f4\u0000{"DeviceId":"x","RemoteUrl":"https://server.action1.com/agent/poll"}', 'İstanbul', '上海贝锐信息科技股份有限公司', 'Müller Äpfel', '😀 emoji', '\u0000\u0000', 'a'.repeat(100_000)]) {
    assert.equal(sha256Hex(s), nodeSha256(s), s.slice(0, 40));
  }
});
