// The literal prefilter of regular expressions (functions/regex.ts requiredLiteral, and parse's longest
// literal): a text without the required literal cannot match, so extract/matches regex/parse skip the
// regex engine there. Checked two ways: the literals found for known patterns (none where one is not
// certain), and extract / matches regex / parse results equal to re2js run on every text without the filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegex, regexExtract, regexTest, requiredLiteral } from '../../src/engine/functions/regex.js';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';

test('required literals: the longest certain run, none under alternation, inline flags or doubt', () => {
  const cases: [string, string | undefined][] = [
    ['-EncodedCommand\\s+([A-Za-z0-9+/=]+)', '-EncodedCommand'], ['https?://([^/ ]+)/', 'http'], ['abc|def', undefined],
    ['(?i)abc', undefined], ['ab+cd', 'ab'], ['x(abc)yz', 'yz'], ['a\\.b\\.c', 'a.b.c'], ['abc{0,2}de', 'ab'], ['abc{2}de', 'abc'],
    ['[abc]xyz[d]', 'xyz'], ['[]ab]cd', 'cd'], ['foo.*bar', 'foo'], ['ab*', undefined], ['a\\sb', undefined], ['a\\p{L}bc', 'bc'],
    ['(a|b)cde', 'cde'], ['abc{,2}', undefined], ['x\\Qa|b\\E', undefined], ['ab?', undefined],
    // a character code's digits are not literal text (\x41 is "A", \101 is "A")
    ['a\\x41bc', 'bc'], ['[\\s\\w]*?()\\x41{1,3}', undefined], ['ab\\101c', 'ab'], ['x\\0y', undefined],
  ];
  for (const [p, want] of cases) assert.equal(requiredLiteral(p), want, p);
});

test('extract and matches regex with the prefilter equal re2js on every text', () => {
  const texts = ['', 'powershell -EncodedCommand QUJD', 'x -encodedcommand abc', 'http://a.b/c', 'https://x.y/', 'ftp://q/', 'abcde', 'abde', 'abbbcd', 'a.b.c', 'aXbc', 'xyz', 'cde'];
  const patterns = ['-EncodedCommand\\s+([A-Za-z0-9+/=]+)', 'https?://([^/ ]+)/', 'ab+cd', 'a\\.b\\.c', 'abc{0,2}de', '[abc]xyz', 'a\\p{L}bc', '(a|b)cde', '(?i)-encodedcommand (\\w+)'];
  for (const p of patterns) {
    for (const t of texts) {
      const m = compileRegex(p).matcher(t);
      const want = m.find() ? m.group(p.includes('(') && !p.startsWith('(a|b)') ? 1 : 0) : null;
      assert.equal(regexExtract(p, p.includes('(') && !p.startsWith('(a|b)') ? 1 : 0, t), want, `${p} on ${t}`);
      assert.equal(regexTest(p, t), compileRegex(p).test(t), `${p} on ${t}`);
    }
  }
});

test('parse with its literal prefilter keeps and fills exactly the rows that match', () => {
  const schema = { name: 'T', columns: [{ name: 'C', type: 'string' as const }] };
  const rows = ['certutil -split -f http://1.2.3.4/a.exe C:\\x', 'certutil -urlcache', '', '-split -f http://h/p d', 'x -split -f http://h/p', '-SPLIT -F HTTP://h/p d'].map((C) => ({ C }));
  const source = new MemorySource(new Map([['T', { schema, extents: [tableFromRows(schema.columns, rows)] }]]));
  const run = (q: string) => {
    const r = runQuery(q, { source });
    assert.ok(r.ok);
    const t = r.tables[0]!.table;
    return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => String(readCell(c.column, i))).join('|'));
  };
  assert.deepEqual(run('T | parse C with * "-split -f http://" Host "/" Payload " " Dest | project Host, Payload, Dest'), ['1.2.3.4|a.exe|C:\\x', '||', '||', 'h|p|d', '||', '||']);
  assert.deepEqual(run('T | parse-where C with * "-split -f http://" Host "/" Payload " " Dest | project Host'), ['1.2.3.4', 'h']);
  assert.deepEqual(run('T | parse-where flags=i C with * "-split -f http://" Host "/" Payload " " Dest | project Host'), ['1.2.3.4', 'h', 'h']);
});

test('parse of text columns between literals without the regex equals the regex, on random texts and patterns', () => {
  // the same query over a string column and over a dynamic one (dynamic text is parsed by the regex path only
  // when the column is not text... so compare with kind=relaxed, which always takes the regex and, with text
  // columns only, gives the same captures as simple)
  let seed = 11;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const alphabet = ['a', 'b', 'ab', '-', ' ', '/', 'x', '\n', '😀', 'é'];
  const texts = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(r() * 14) }, () => alphabet[Math.floor(r() * alphabet.length)]!).join(''));
  const schema = { name: 'T', columns: [{ name: 'C', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
  const source = new MemorySource(new Map([['T', { schema, extents: [tableFromRows(schema.columns, texts.map((C, N) => ({ C, N })))] }]]));
  const run = (q: string) => {
    const res = runQuery(q, { source });
    assert.ok(res.ok, q);
    const t = res.tables[0]!.table;
    return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => String(readCell(c.column, i))).join('|'));
  };
  const parts = ['*', 'A', 'B', '"a"', '"b"', '"-"', '" "', '"ab"', '"/"'];
  for (let k = 0; k < 60; k++) {
    const pattern: string[] = [];
    let cols = 0;
    for (let j = 0; j < 1 + Math.floor(r() * 5); j++) {
      const p = parts[Math.floor(r() * parts.length)]!;
      pattern.push(p === 'A' || p === 'B' ? `C${cols++}` : p);
    }
    if (!cols) pattern.push(`C${cols++}`);
    const names = Array.from({ length: cols }, (_, j) => `C${j}`).join(', ');
    for (const op of ['parse', 'parse-where']) {
      const quick = run(`T | ${op} C with ${pattern.join(' ')} | project N, ${names}`);
      const regex = run(`T | ${op} kind=relaxed C with ${pattern.join(' ')} | project N, ${names}`);
      assert.deepEqual(quick, regex, `${op} ${pattern.join(' ')}`);
    }
  }
});
