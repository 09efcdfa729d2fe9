import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitJsonValues, splitLines, type JsonValue, type Line } from '../../src/ingest/splitters.js';

/** The text cut into chunks of `size` bytes (1 = every byte boundary, including inside UTF-8 sequences). */
async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.byteLength; i += size) yield b.subarray(i, i + size);
}

async function values(text: string, size: number, max?: number): Promise<JsonValue[]> {
  const out: JsonValue[] = [];
  for await (const batch of splitJsonValues(chunked(text, size), max)) out.push(...batch);
  return out;
}

async function lines(text: string, size: number, max?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const batch of splitLines(chunked(text, size), max)) out.push(...batch);
  return out;
}

const SIZES = [1, 2, 3, 7, 64, 1 << 20];

test('JSON documents split into the same records as JSON.parse gives, at every chunk size', async () => {
  const tricky = [{ a: 'x,]}"y', b: [1, 2, { c: ']' }] }, 3, 's,"[', null, { e: 'é→😀\\', '"records"': [1] }, []];
  const cases: [string, unknown[]][] = [
    [JSON.stringify(tricky), tricky],
    [JSON.stringify(tricky, null, 2), tricky],
    // an Event Hubs message, pretty-printed, with keys before and after its records
    [JSON.stringify({ time: 'x', records: [{ a: 1 }, { b: [2] }], after: { records: [9] } }, null, 1), [{ a: 1 }, { b: [2] }]],
    // a "records" key deeper down is an ordinary field: the object is one record
    [JSON.stringify({ foo: { records: [1] }, a: 1 }), [{ foo: { records: [1] }, a: 1 }]],
    // a "records" value that is not an array
    [JSON.stringify({ records: 'none', a: 1 }), [{ records: 'none', a: 1 }]],
    // concatenated documents: arrays, objects, messages
    ['[{"a":1}]\n[{"a":2},{"a":3}] {"a":4}\n{"records":[{"a":5}]}\n', [{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }, { a: 5 }]],
    ['  [ ]  \n', []],
  ];
  for (const [text, expected] of cases) {
    for (const size of SIZES) {
      const got = await values(text, size);
      assert.deepEqual(got.map((v) => v.problem), expected.map(() => undefined), `${text} @${size}`);
      assert.deepEqual(got.map((v) => JSON.parse(v.text!)), expected, `${text} @${size}`);
      assert.deepEqual(got.map((v) => v.offset), expected.map((_, i) => i));
    }
  }
});

test('a JSON document cut short: the whole records are kept, the cut one is reported as truncated', async () => {
  for (const size of SIZES) {
    const got = await values('[{"a":1},\n {"a":"2"},\n {"a":[3, {"b":', size);
    assert.deepEqual(got.slice(0, 2).map((v) => JSON.parse(v.text!)), [{ a: 1 }, { a: '2' }]);
    assert.equal(got.length, 3);
    assert.equal(got[2]!.offset, 2);
    assert.match(got[2]!.problem!, /truncated/);
    assert.equal(got[2]!.text, '{"a":[3, {"b":');
  }
  // cut between records: nothing is lost, nothing to report
  assert.deepEqual((await values('[{"a":1}, ', 3)).map((v) => v.text), ['{"a":1}']);
});

test('a malformed JSON element is delimited and handed on; bad top-level text stops with a problem; an oversize record is skipped', async () => {
  const got = await values('[{"a":1}, {"a": tru}, {"a":3}]', 5);
  assert.deepEqual(got.map((v) => v.text), ['{"a":1}', '{"a": tru}', '{"a":3}']);
  assert.throws(() => JSON.parse(got[1]!.text!));
  const junk = await values('[{"a":1}] oops', 4);
  assert.equal(junk.length, 2);
  assert.match(junk[1]!.problem!, /unexpected 'o' at the top level/);
  const big = await values(`[{"a":1}, {"a":"${'x'.repeat(5000)}"}, {"a":3}]`, 100, 1000);
  assert.deepEqual(big, [{ text: '{"a":1}', offset: 0 }, { offset: 1, problem: 'JSON record larger than 1 KiB, not read' }, { text: '{"a":3}', offset: 2 }]);
});

test('lines: every chunk size, CRLF, UTF-8 across chunks, an unterminated last line, an oversize line', async () => {
  const text = 'a\r\n{"k":"é😀"}\n\nlast';
  for (const size of SIZES) {
    const got = await lines(text, size);
    assert.deepEqual(got.map((l) => [l.line, l.text, !!l.unterminated]), [[1, 'a\r', false], [2, '{"k":"é😀"}', false], [3, '', false], [4, 'last', true]]);
  }
  assert.deepEqual((await lines('x\n', 1)).map((l) => l.text), ['x']);
  const long = await lines(`ok\n${'y'.repeat(3000)}\nafter\n${'z'.repeat(3000)}`, 256, 1000);
  assert.deepEqual(long.map((l) => [l.line, l.text ?? l.problem]), [[1, 'ok'], [2, 'line longer than 1 KiB, not read'], [3, 'after'], [4, 'line longer than 1 KiB, not read']]);
});
