// The scanner's lexical rules agree with Kusto.Language's, character by character: which characters are
// whitespace, which may be in a name, and when a word led by digits is a literal or a name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../src/kql/syntax/index.js';
import { msSyntaxErrors } from '../../helpers/ms-parser.js';

const rejects = (text: string) => parse(text).diagnostics.some((d) => d.severity === 'error' && d.code !== 'KQL1007');
const kustoRejects = (text: string) => msSyntaxErrors(text).length > 0;

function disagreements(texts: string[]): string[] {
  const out: string[] = [];
  for (const t of texts) if (rejects(t) !== kustoRejects(t)) out.push(`${JSON.stringify(t)}: kqlite ${rejects(t) ? 'rejects' : 'accepts'}`);
  return out;
}

test('every Unicode space, format and control character: whitespace exactly where Kusto says so', () => {
  const texts: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (!/[\p{Zs}\p{Zl}\p{Zp}\p{Cf}\p{Cc}]/u.test(ch)) continue;
    texts.push(`print${ch}x=1`, `T${ch}|${ch}take${ch}1`, `print x = 1${ch}`);
  }
  assert.ok(texts.length > 300, `only ${texts.length}`);
  assert.deepEqual(disagreements(texts), []);
});

test('names are ASCII: a sample of every other Unicode category is rejected inside and at the start of a name', () => {
  const texts: string[] = [];
  for (let c = 0x80; c <= 0xffff; c += 7) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (/[\p{Zs}\p{Zl}\p{Zp}\p{Cf}\p{Cc}\p{Nd}]/u.test(ch)) continue;
    texts.push(`print a${ch}b=1`, `print ${ch}=1`);
  }
  assert.deepEqual(disagreements(texts), []);
});

test('a word led by digits is a literal when the whole word is one, else a name', () => {
  const words = [
    '2022MostExploited', '5Minutebin', '5m', '5min', '5minutes', '1day', '1e5', '1e', '1E5x', '1.5h', '0x1F', '0x1Fg', '0x',
    '12_a', '1_000', '12abc', '1tick', '1ticks', '1microsecond', '1d2', '1d_', '10msx', '5_min', '1min2', '1e-5', '12e3',
  ];
  const texts = words.flatMap((w) => [`print ${w}`, `print ${w}=1`, `T | extend ${w} = 1 | summarize count() by ${w}`]);
  assert.deepEqual(disagreements(texts), []);
});

test('syntax Kusto takes and leaves to binding', () => {
  const texts = [
    'T | where x = 1', 'T | where x = 1 and y = 2', 'T | project-rename a', 'T | distinct a, b = 1', 'print dynamic(["a" "b", "c"])',
    '| take 1', 'T | mv-apply x on (| take 1)', 'T | join (| take 1) on a', "print 'a' @'b' \"c\"", 'print a$b=1', 'print $a=1',
  ];
  assert.deepEqual(disagreements(texts), []);
});

test('client directives: lines led by # before the first statement are skipped, a # anywhere later is an error', () => {
  const texts = [
    '#connect cluster("help").database("Samples")\nT | take 1', '  #a\nT | take 1', '// c\n#a\n#b (x)\n\nprint 1', '### HEADING\nprint 1',
    '#a', '#', 'T | take 1 #x', 'T\n#x\n| take 1', 'print 1;\n#a\nprint 2', 'let x = 1;\n#a\nprint x', 'print 1\n\n#a', 'print "#a"',
  ];
  assert.deepEqual(disagreements(texts), []);
  // the query after the directives is the query that runs
  assert.equal(parse('#connect x\nprint 1').script.statements.length, 1);
});

test('Col:term is an operator in any expression, tighter than * and looser than unary minus, never chained', () => {
  const texts = [
    'T | where a:"x"', 'print a:b', 'print -a:-b', 'print a*b:c', 'print a:b*c', 'print (a:b):c', 'print a:(b:c)', 'https://x.y/z\nT | take 1',
    'T | where a:b:c', 'print 1:2:3', 'print a:-b:c', 'T | evaluate bag_unpack(d) : (*, x:int)',
  ];
  assert.deepEqual(disagreements(texts), []);
  const e = (parse('print a*b:"c"').script.statements[0] as any).expr.columns[0].expr;
  assert.equal(e.op, '*');
  assert.equal(e.right.op, 'has');
});
