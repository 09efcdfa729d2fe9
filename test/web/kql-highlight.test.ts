// The rule page's KQL highlighter: segments must give the text back exactly and classify what a reader
// needs to see (operator words after pipes, functions, strings, comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightKql } from '../../src/web/kql-highlight.js';

const QUERY = `let Time_start = now(-5d);
// the vendor relay
DeviceNetworkEvents
| where Timestamp between (Time_start..now()) and RemoteUrl has_any ('server.action1.com', "x")
| project-away ReportId
| summarize Count=count() by DeviceName // per device
| mv-expand x`;

const classOf = (segs: ReturnType<typeof highlightKql>, text: string) => segs.filter((s) => s.text === text).map((s) => s.cls);

test('segments cover the text exactly', () => {
  for (const q of [QUERY, '', '   ', '// only a comment', "T | where a == 'unterminated", 'T | where x ~~ €', '```multi\nline```']) {
    assert.equal(highlightKql(q).map((s) => s.text).join(''), q);
  }
});

test('operator words after a pipe, including hyphenated ones', () => {
  const segs = highlightKql(QUERY);
  assert.deepEqual(classOf(segs, 'where'), ['op']);
  assert.deepEqual(classOf(segs, 'summarize'), ['op']);
  assert.deepEqual(classOf(segs, 'project-away'), ['op']);
  assert.deepEqual(classOf(segs, 'mv-expand'), ['op']);
  // `count` is an operator word, but here it is a function call
  assert.deepEqual(classOf(segs, 'count'), ['fn']);
});

test('keywords, functions, literals, comments', () => {
  const segs = highlightKql(QUERY);
  assert.deepEqual(classOf(segs, 'let'), ['kw']);
  assert.deepEqual(classOf(segs, 'has_any'), ['kw']);
  assert.deepEqual(classOf(segs, 'between'), ['kw']);
  assert.deepEqual(classOf(segs, 'now'), ['fn', 'fn']);
  assert.deepEqual(classOf(segs, "'server.action1.com'"), ['str']);
  assert.deepEqual(classOf(segs, '"x"'), ['str']);
  assert.deepEqual(classOf(segs, '5d'), ['num']);
  assert.deepEqual(classOf(segs, '// the vendor relay'), ['comment']);
  assert.deepEqual(classOf(segs, '// per device'), ['comment']);
  assert.deepEqual(classOf(segs, 'DeviceNetworkEvents'), ['id']);
  assert.deepEqual(classOf(segs, '|'), ['pipe', 'pipe', 'pipe', 'pipe']);
});

test('a // inside a string is not a comment', () => {
  const segs = highlightKql("T | where Url has 'https://x.example'");
  assert.deepEqual(classOf(segs, "'https://x.example'"), ['str']);
  assert.equal(segs.some((s) => s.cls === 'comment'), false);
});
