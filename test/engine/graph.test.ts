// Graph operator behaviour as data: test/engine/graph-cases.jsonl holds cases in the conformance format
// (id, query, columns, rows as display strings, ordered, flags), compared by the conformance runner's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCase, type Case } from '../../scripts/conformance-lib.js';
import { runQuery } from '../../src/engine/index.js';
import { readCell } from '../../src/engine/storage/builders.js';

const cases = readFileSync('test/engine/graph-cases.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => ({ ordered: false, flags: [], operators: [], functions: [], plugins: [], doc: 'kqlite', ...JSON.parse(l) }) as Case);

for (const c of cases) {
  test(`graph case ${c.id}`, () => {
    const r = runCase(c, new Map());
    assert.equal(r.outcome, 'pass', `${c.id}: ${r.reason ?? ''}\n${c.query}`);
  });
}

// graph-shortest-paths has two algorithms: breadth-first search (one variable edge, min <= 1, a where made
// of per-node/per-edge conditions) and the general depth-first walk. A condition on two variables forces
// the walk; on random graphs both must give the same paths.
test('graph-shortest-paths: breadth-first search and the general walk agree', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  let found = 0;
  for (let round = 0; round < 6; round++) {
    const rows: string[] = [];
    for (let i = 0; i < 40; i++) rows.push(`"n${rand(15)}", "n${rand(15)}", ${rand(3)}`);
    const edges = `datatable(s:string, d:string, w:long)[${rows.join(', ')}]`;
    for (const arrow of ['-[e*1..4]->', '<-[e*1..4]-', '-[e*1..4]-']) {
      for (const [output, end] of [['any', ''], ['all', ''], ['any', ' and y.id == "n3"'], ['all', ' and y.id == "n3"']]) {
        const run = (extra: string) => {
          const q = `${edges} | make-graph s --> d with_node_id=id | graph-shortest-paths output=${output} (x)${arrow}(y) where all(e, w > 0)${end}${extra} project x.id, y.id, p = strcat_array(map(e, strcat(s, '>', d)), ',')`;
          const r = runQuery(q);
          assert.ok(r.ok, JSON.stringify(r.diagnostics));
          const t = r.tables[0]!.table;
          return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => String(readCell(c.column, i))).join('|')).sort();
        };
        const fast = run('');
        assert.deepEqual(fast, run(" and strlen(x.id) + strlen(y.id) > 0"), `${arrow} output=${output}${end} round ${round}`);
        found += fast.length;
      }
    }
  }
  assert.ok(found > 100, `only ${found} paths: the comparison would prove little`);
});

// What kqlite cannot run fails loudly, naming the construct.
const REFUSED: [string, RegExp][] = [
  ['graph("Model") | graph-match (a)-->(b) project a.id', /graph\(\.\.\.\) reads a persistent graph model.*make-graph/],
  ['datatable(s:string, d:string)["a","b"] | make-graph s --> d | graph-merge x | graph-to-table nodes', /'graph-merge' operator is not supported/],
];
for (const [query, message] of REFUSED) {
  test(`graph refusal: ${message.source}`, () => {
    const r = runQuery(query);
    assert.equal(r.ok, false);
    assert.match(r.diagnostics.map((d) => d.message).join('\n'), message);
  });
}

// Path enumeration can explode (every path of up to 10 edges in a complete graph); the engine's limit
// checks run inside the walk, so the query ends with the time-limit error instead of running on.
test('graph-match: path enumeration stops at the query time limit', () => {
  const q = 'range i from 0 to 899 step 1 | extend s = tostring(i / 30), d = tostring(i % 30) | where s != d | make-graph s --> d with_node_id=id | graph-match (a)-[e*1..10]->(b) project a.id | count';
  const r = runQuery(q, { timeoutMs: 300 });
  assert.equal(r.ok, false);
  assert.match(r.diagnostics.map((d) => d.message).join('\n'), /time limit/);
});
