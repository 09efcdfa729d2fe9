// Every node carries a span inside its parent's span and inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, walk } from '../../../src/kql/syntax/index.js';
import { conformanceCases, corpusQueries } from '../../helpers/corpus.js';

test('spans nest and stay inside the text', () => {
  const texts = [...conformanceCases().map((c) => c.query), ...corpusQueries('sentinel-hunting').map((q) => q.query)];
  let nodes = 0;
  for (const text of texts) {
    const { script } = parse(text);
    walk(script, (n, parent) => {
      nodes++;
      assert.ok(n.span.start >= 0 && n.span.end <= text.length && n.span.start <= n.span.end, `${n.kind} span out of text`);
      if (parent) assert.ok(n.span.start >= parent.span.start && n.span.end <= parent.span.end, `${n.kind} [${n.span.start},${n.span.end}) outside ${parent.kind} [${parent.span.start},${parent.span.end}) in ${JSON.stringify(text.slice(0, 80))}`);
    });
  }
  assert.ok(nodes > 10_000, `only ${nodes} nodes`);
});
