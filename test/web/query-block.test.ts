// Which text the workbench's Run sends (the block at the cursor or the selection), and diagnostics mapped back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsInEditor, queryBlockAt, queryToRun } from '../../src/web/workbench/query-block.js';
import type { ApiDiagnostic } from '../../src/server/api.js';

const text = 'T1\n| take 1\n\n  \nT2\n| where x > 1\n| count\n\n';
const at = (needle: string) => text.indexOf(needle);

test('the block of non-blank lines around the cursor', () => {
  assert.deepEqual(queryBlockAt(text, 0), { text: 'T1\n| take 1', start: 0 });
  assert.deepEqual(queryBlockAt(text, at('take')), { text: 'T1\n| take 1', start: 0 });
  assert.deepEqual(queryBlockAt(text, at('where')), { text: 'T2\n| where x > 1\n| count', start: at('T2') });
  assert.deepEqual(queryBlockAt(text, at('| count') + 7), { text: 'T2\n| where x > 1\n| count', start: at('T2') }, 'end of the last line');
});

test('on a blank line the block above, else the one below; nothing in an empty editor', () => {
  assert.equal(queryBlockAt(text, text.length).text, 'T2\n| where x > 1\n| count', 'trailing blank lines');
  assert.equal(queryBlockAt(text, at('  \n')).text, 'T1\n| take 1', 'whitespace-only line between blocks');
  assert.deepEqual(queryBlockAt('\n\nT3', 0), { text: 'T3', start: 2 });
  assert.deepEqual(queryBlockAt('  \n\n', 1), { text: '', start: 0 });
  assert.deepEqual(queryBlockAt('', 0), { text: '', start: 0 });
});

test('a selection wins over the block unless it is only whitespace', () => {
  assert.deepEqual(queryToRun(text, { start: at('T2'), end: at('T2') + 2 }), { text: 'T2', start: at('T2') });
  assert.equal(queryToRun(text, { start: at('\n\n'), end: at('\n\n') + 2 }).text, 'T1\n| take 1');
  assert.equal(queryToRun(text, { start: at('where'), end: at('where') }).text, 'T2\n| where x > 1\n| count');
});

const diag = (start: number, line: number, column: number): ApiDiagnostic =>
  ({ code: 'KQL2001', severity: 'error', message: 'unknown column', start, end: start + 1, line, column, rendered: '' });

test('diagnostics about the part are restated against the whole text', () => {
  const part = queryBlockAt(text, at('where'));
  // 'x' in the block: line 2, column 9 of the block
  const [d] = diagnosticsInEditor(text, part, [diag('T2\n| where x'.length - 1, 2, 9)]);
  assert.equal(text.slice(d!.start, d!.end), 'x');
  assert.deepEqual([d!.line, d!.column], [6, 9]);
  // a selection starting mid-line shifts the first line's columns too
  const sel = queryToRun(text, { start: at('where'), end: at('where') + 'where x'.length });
  const [e] = diagnosticsInEditor(text, sel, [diag(6, 1, 7)]);
  assert.equal(text.slice(e!.start, e!.end), 'x');
  assert.deepEqual([e!.line, e!.column], [6, 9]);
  assert.deepEqual(diagnosticsInEditor(text, { text, start: 0 }, [diag(0, 1, 1)]), [diag(0, 1, 1)]);
});
