// Query limits as a user meets them on the command line: memory bounded by a budget derived from Node's
// real heap limit (children run with a small --max-old-space-size, so each test needs little RAM and time),
// time limits honoured inside joins and long expressions, results streamed, deep and long queries that work
// or end with a diagnostic. Never a V8 abort (exit 134) or a JavaScript stack trace.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, type CliResult } from '../helpers/cli.js';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-limits-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const STACK = /^\s+at .+(\(|:\d+:\d+)/m;

/** A query in a child with a `heapMb` heap; the workspace folder does not exist, so the query runs on its own data. */
async function query(q: string, heapMb: number, ...flags: string[]): Promise<CliResult & { ms: number }> {
  const t = Date.now();
  const r = await runCli(['query', q, ...flags], { cwd: root, nodeArgs: [`--max-old-space-size=${heapMb}`], timeoutMs: 90_000 });
  return { ...r, ms: Date.now() - t };
}

function endedCleanly(r: CliResult, code: RegExp): void {
  const out = r.stderr + r.stdout;
  assert.equal(r.code, 1, `exit ${r.code}: ${out.slice(0, 400)}`);
  assert.match(out, code);
  assert.doesNotMatch(out, STACK);
  assert.doesNotMatch(out, /FATAL ERROR|Aborted|heap out of memory/);
}

test('a cross join of two 100k ranges ends with KQL4004 naming the budget and the join, in a 256 MB heap', async () => {
  const r = await query('range a from 1 to 100000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 100000 step 1 | extend k = 1) on k | count', 256, '--timeout', '2000');
  endedCleanly(r, /error KQL400[34]: /);
  // the budget is half of this process's real heap limit (about 300 MiB here), not a fixed 8 GiB
  assert.match(r.stderr, /'join' needed more memory than the query's budget of 1\d\d MiB|time limit of 2,000 ms in 'join'/);
});

test('a string-heavy query ends with KQL4004 instead of aborting V8 (exit 134) in a 128 MB heap', async () => {
  const r = await query('range x from 1 to 3000000 step 1 | extend s = strcat(strrep("abcdefgh", 10), x) | summarize make_list(s)', 128);
  endedCleanly(r, /error KQL4004: 'extend' needed more memory than the query's budget of \d+ MiB: narrow the query .* --memory-budget \(at most \d+ MiB in this process\)/);
});

test('one huge value ends with KQL4004 before it is built, and a result too large to print is cut or refused, never crashing', async () => {
  endedCleanly(await query('print s = strrep("abcdefghij", 100000000)', 128), /error KQL4004: 'print' needed more memory/);
  endedCleanly(await query('range x from 1 to 100 step 1 | extend s = strrep("abcdefghij", 1000000) | summarize make_list(s)', 128), /KQL4004: the result's first row alone would take more than \d+ MiB as text/);
  // one 1 MB string shared by every row: little memory in the engine, 100 MB as text
  const cut = await query('range x from 1 to 100 step 1 | extend s = strrep("abcdefghij", 100000)', 128, '--format', 'csv');
  assert.equal(cut.code, 0, cut.stderr);
  assert.match(cut.stderr, /warning: result 0 truncated to \d+ of 100 rows: the rest would take more than \d+ MiB as text \(--memory-budget\)/);
  assert.ok(cut.stdout.length > 10_000_000);
});

test('--memory-budget sets the budget, is clamped to the heap limit, and must be a size', async () => {
  endedCleanly(await query('range x from 1 to 2000000 step 1 | extend s = strcat("abcdefghijklmnop", x) | count', 256, '--memory-budget', '16MB'), /KQL4004: 'extend' needed more memory than the query's budget of 16 MiB/);
  const big = await query('print 1', 128, '--memory-budget', '100TB');
  assert.equal(big.code, 0, big.stderr);
  assert.match(big.stderr, /warning: the memory budget was lowered to \d+ MiB, this process's heap limit/);
  const bad = await query('print 1', 128, '--memory-budget', 'lots');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--memory-budget must be a size such as 512MB or 2GB, not 'lots'/);
});

test('--timeout is honoured inside a long per-row expression and inside a join, naming where it stopped', async () => {
  // each row costs a scan of a 100 KB string: checked every 65,536 rows this ran a minute past its second
  const expr = await query('range x from 1 to 100000 step 1 | extend n = countof(strcat(strrep("ab", 50000), x), "b") | summarize sum(n)', 256, '--timeout', '1000');
  endedCleanly(expr, /error KQL4003: the query ran past its time limit of 1,000 ms in 'extend' \(--timeout\)/);
  assert.ok(expr.ms < 20_000, `took ${expr.ms} ms`);
  // 100M pairs: in a 512 MB heap a fast machine reached the memory budget (KQL4004) before 500 ms; with a
  // 4 GB heap (a 2 GiB budget) only the time limit can stop it first
  const join = await query('range a from 1 to 10000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 10000 step 1 | extend k = 1) on k | summarize count() by a % 7', 4096, '--timeout', '500');
  endedCleanly(join, /error KQL4003: the query ran past its time limit of 500 ms in 'join'/);
});

test('long chains work as in Kusto: a 10 KB 1+1+…, 2,000 chained wheres, 5,000 ands', async () => {
  const plus = await query('print x = ' + Array(5000).fill('1').join('+'), 256);
  assert.equal(plus.code, 0, plus.stderr.slice(0, 500));
  assert.match(plus.stdout, /^5000$/m);
  const wheres = await query('range x from 1 to 10 step 1' + ' | where x > 0'.repeat(2000) + ' | count', 256);
  assert.equal(wheres.code, 0, wheres.stderr.slice(0, 500));
  assert.match(wheres.stdout, /^10$/m);
  const ands = await query('range x from 1 to 3000 step 1 | where ' + Array(5000).fill('x > 1').join(' and ') + ' | count', 256);
  assert.equal(ands.code, 0, ands.stderr.slice(0, 500));
  assert.match(ands.stdout, /^2999$/m);
});

test('pathological nesting ends with KQL1009 at the place it starts (query and check), the long line shown around it', async () => {
  const deep = 'print d = dynamic(' + '['.repeat(5000) + ']'.repeat(5000) + ')';
  const r = await query(deep, 256);
  endedCleanly(r, /<query>:1:1019: error KQL1009: dynamic value nested deeper than 1000 levels/);
  // the 10 KB line is shown as a window around the column, not whole
  assert.ok(r.stderr.length < 2000, `${r.stderr.length} characters of diagnostics`);
  for (const [name, text, message] of [
    ['deep.kql', deep, /deep\.kql:1:1019: error KQL1009/],
    // one sign per operand (Kusto reads `--x` as a sign without its operand), so signs nest through parentheses
    ['unary.kql', 'print x = ' + '-('.repeat(5000) + '1' + ')'.repeat(5000), /unary\.kql:1:\d+: error KQL1009: expression nested too deeply/],
    ['member.kql', 'print x = dynamic({})' + '.a'.repeat(5000), /member\.kql:1:\d+: error KQL1009: more than 200 '\.name' or '\[index\]' steps in a row/],
  ] as const) {
    writeFileSync(join(root, name), text);
    const c = await runCli(['check', name], { cwd: root });
    endedCleanly(c, message);
  }
});
