// A pending string column's dictionary (pending-dictionary.ts): bytes only while values are plain ASCII, its
// arena written as the extent's dictionary; strings once a value comes another way; rollback of a new code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hashBytes } from '../../src/ingest/byte-dictionary.js';
import { TableAccumulator } from '../../src/ingest/accumulate.js';
import { readExtent, writeExtent } from '../../src/store/extent-format.js';
import { PendingDictionary } from '../../src/ingest/pending-dictionary.js';

const root = mkdtempSync(join(tmpdir(), 'kqlite-dict-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A value as a reader gives it: the bytes between a JSON string's quotes. */
const bytes = (d: PendingDictionary, text: string, escaped = false) => {
  const b = Buffer.from(`"${text}"`);
  return d.ofBytes(b, 1, b.length - 1, escaped, hashBytes(b, 1, b.length - 1));
};

test('ASCII values given as bytes keep the dictionary bytes only, in code order, ready to write', () => {
  const d = new PendingDictionary();
  assert.deepEqual(['10.0.0.1', 'b', '10.0.0.1', '', 'c'].map((v) => (v ? bytes(d, v) : d.empty())), [0, 1, 0, 2, 3]);
  assert.equal(d.bytesOnly, true);
  const enc = d.encoded()!;
  assert.deepEqual([...enc.ends], [8, 9, 9, 10]);
  assert.equal(Buffer.from(enc.text).toString(), '10.0.0.1bc');
  // a rolled-back row takes its new code back, and the next value takes that code
  bytes(d, 'dropped');
  d.undoLast();
  assert.equal(bytes(d, 'd'), 4);
  assert.deepEqual(d.toStrings(), ['10.0.0.1', 'b', '', 'c', 'd']);
});

test('a non-ASCII, escaped or string value turns the dictionary into strings, keeping every code', () => {
  for (const turn of [(d: PendingDictionary) => bytes(d, 'hôst'), (d: PendingDictionary) => bytes(d, 'a\\"q', true), (d: PendingDictionary) => d.code('hôst')]) {
    const d = new PendingDictionary();
    bytes(d, 'x');
    bytes(d, 'y');
    assert.equal(turn(d), 2);
    assert.equal(d.bytesOnly, false);
    assert.equal(d.encoded(), undefined);
    // values seen before are found whichever way they come now
    assert.deepEqual([bytes(d, 'y'), d.code('x'), bytes(d, '\\u0078', true)], [1, 0, 0]);
    assert.equal(d.size, 3);
  }
});

test('an extent written from a bytes-only dictionary reads back the same strings as one written from strings', () => {
  const schema = { name: 'T', columns: [{ name: 'Ip', type: 'string' as const }, { name: 'Name', type: 'string' as const }] };
  const acc = new TableAccumulator('T', schema, {});
  const rows = Array.from({ length: 50 }, (_, i) => [`10.0.0.${i % 20}`, i % 7 ? `n${i % 3}` : 'ünï']);
  for (const [ip, name] of rows) {
    const b = Buffer.from(JSON.stringify([ip, name]));
    const s1 = 2, e1 = s1 + Buffer.byteLength(ip!);
    const s2 = e1 + 3, e2 = s2 + Buffer.byteLength(name!);
    acc.addScanned(b, Uint8Array.of(1, 1), Int32Array.of(s1, s2), Int32Array.of(e1, e2), Int32Array.of(hashBytes(b, s1, e1), hashBytes(b, s2, e2)));
  }
  const table = acc.take();
  const dir = join(root, 'e1');
  writeExtent(dir, table, {});
  const back = readExtent(dir, schema);
  for (const [c, col] of back.columns.entries()) {
    assert.equal(col.column.type, 'string');
    const got = Array.from({ length: 50 }, (_, r) => (col.column as { dict: string[]; codes: Int32Array }).dict[(col.column as { codes: Int32Array }).codes[r]!]);
    assert.deepEqual(got, rows.map((r) => r[c]));
  }
});
