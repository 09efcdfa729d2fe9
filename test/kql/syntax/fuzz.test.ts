// Bad input never crashes or hangs the parser: 100k+ seeded mutations and random inputs, each must give a
// tree plus diagnostics. Deterministic (seeded), bounded by input count, not by time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../src/kql/syntax/index.js';
import { conformanceCases } from '../../helpers/corpus.js';

const VOCAB = ['|', '(', ')', '[', ']', '{', '}', ',', ';', '.', '..', '==', '=~', '!', '-', '*', '"', "'", '@"', '```', 'h"', 'let', 'where', 'summarize', 'by', 'join', 'on', 'kind=inner', 'project', 'mv-expand', 'datatable', 'dynamic(', 'datetime(', '1d', '0x', '1e', 'between', 'has', 'in~', '$left', '\n', '//', 'x', 'T', '<<<<<<<', '{{x}}', '\\', '\u00e9', '\u0000'];

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

test('100k mutated and random inputs all parse to a tree with diagnostics, never a throw', () => {
  const seeds = conformanceCases().map((c) => c.query);
  const r = rng(20261122);
  let count = 0;
  let withErrors = 0;
  for (let i = 0; i < 100_000; i++) {
    let text: string;
    const mode = i % 4;
    if (mode === 3) {
      const len = Math.floor(r() * 12);
      text = Array.from({ length: len }, () => VOCAB[Math.floor(r() * VOCAB.length)]).join(r() < 0.5 ? ' ' : '');
    } else {
      text = seeds[Math.floor(r() * seeds.length)]!;
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * (text.length + 1));
        const what = r();
        if (what < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 5));
        else if (what < 0.8) text = text.slice(0, at) + VOCAB[Math.floor(r() * VOCAB.length)] + text.slice(at);
        else text = text.slice(0, at);
      }
    }
    const res = parse(text);
    assert.equal(res.script.kind, 'Script');
    if (res.diagnostics.length) withErrors++;
    for (const d of res.diagnostics) {
      assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, `bad diagnostic span for ${JSON.stringify(text)}`);
    }
    count++;
  }
  assert.equal(count, 100_000);
  assert.ok(withErrors > 50_000, `mutations should mostly break queries (${withErrors})`);
});

test('deep nesting fails cleanly instead of overflowing the stack', () => {
  const text = 'print ' + '('.repeat(5000) + '1' + ')'.repeat(5000);
  const res = parse(text);
  assert.ok(res.diagnostics.some((d) => d.code === 'KQL1009'));
});
