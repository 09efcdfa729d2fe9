// The workbench's diagnostic excerpt: the line of the span with the span marked, placed by offsets into the
// editor text, cut around the span on a long line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnosticExcerpt } from '../../src/web/workbench/diagnostic-excerpt.js';

test('the span on its line: line number, text before, the marked text, text after', () => {
  const text = 'DeviceInfo\n| where DeviceNam == "x"\n| take 5';
  const start = text.indexOf('DeviceNam');
  assert.deepEqual(diagnosticExcerpt(text, start, start + 'DeviceNam'.length), {
    line: 2, before: '| where ', marked: 'DeviceNam', after: ' == "x"', cutBefore: false, cutAfter: false,
  });
});

test('an empty span (a missing token at the end) marks nothing and still has a place; a span over lines stops at its line end', () => {
  const text = 'T\n| where';
  const x = diagnosticExcerpt(text, text.length, text.length);
  assert.deepEqual([x.line, x.before, x.marked, x.after], [2, '| where', '', '']);
  const over = diagnosticExcerpt('a | where b\n  and c', 4, 17);
  assert.deepEqual([over.line, over.before, over.marked, over.after], [1, 'a | ', 'where b', '']);
});

test('a very long line is cut to a window around the span, with both cuts said', () => {
  const text = `print x = "${'A'.repeat(5000)}", y = bad_fn(1), z = "${'B'.repeat(5000)}"`;
  const start = text.indexOf('bad_fn');
  const x = diagnosticExcerpt(text, start, start + 6);
  assert.equal(x.marked, 'bad_fn');
  assert.ok(x.cutBefore && x.cutAfter);
  assert.ok(x.before.length <= 40 && (x.before + x.marked + x.after).length <= 120);
  assert.ok(x.before.endsWith('", y = '));
});

test('tabs show as one space and a CRLF line keeps no carriage return, so the caret lines up', () => {
  const text = 'T\r\n|\twhere\tFoo == 1\r\n';
  const start = text.indexOf('Foo');
  const x = diagnosticExcerpt(text, start, start + 3);
  assert.deepEqual([x.line, x.before, x.marked, x.after], [2, '| where ', 'Foo', ' == 1']);
});
