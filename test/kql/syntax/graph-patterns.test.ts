// Graph operator syntax: pattern shapes parse into paths of nodes and edges, and mistakes get one clear
// diagnostic each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type GraphOp, type PipeExpr } from '../../../src/kql/syntax/index.js';

const lastOp = (q: string) => ((parse(q).script.statements.at(-1) as { expr: PipeExpr }).expr.op as GraphOp);

test('graph-match pattern: directions, names, lengths and sequences', () => {
  const op = lastOp('T | graph-match cycles=none (a)-[e*1..3]->(b)<--(), (b)-[*2]-(c)-->(a) where a.x == 1 project a.x');
  assert.equal(op.operator, 'graph-match');
  if (op.operator !== 'graph-match') return;
  const shape = op.paths.map((p) => ({
    nodes: p.nodes.map((n) => n.name?.name ?? ''),
    edges: p.edges.map((e) => `${e.name?.name ?? ''}:${e.direction}${e.range ? `:${e.range.min}..${e.range.max}` : ''}`),
  }));
  assert.deepEqual(shape, [
    { nodes: ['a', 'b', ''], edges: ['e:forward:1..3', ':backward'] },
    { nodes: ['b', 'c', 'a'], edges: [':any:2..2', ':forward'] },
  ]);
  assert.equal(op.parameters[0]?.name.name, 'cycles');
});

test('variable edge lengths may name scalars', () => {
  const op = lastOp('T | graph-match (a)-[e*lo..hi]->(b) project a.x');
  if (op.operator !== 'graph-match') assert.fail();
  assert.deepEqual([op.paths[0]!.edges[0]!.range?.minName?.name, op.paths[0]!.edges[0]!.range?.maxName?.name], ['lo', 'hi']);
});

const ERRORS: [string, string][] = [
  ['T | graph-match (a)<-[e]->(b) project a.x', "KQL1003 a graph edge cannot point both ways ('<-...->'); use '-...-' for either direction"],
  ['T | graph-match (a)-[e*..3]->(b) project a.x', "KQL1003 expected an integer length in a variable length edge (*min..max), found '..'"],
  ['T | graph-match (a)-[e*3..1]->(b) project a.x', 'KQL1007 the variable length edge range 3..1 is empty'],
  ['T | graph-match (a)-[e]->(b)', "KQL1003 expected 'project' in graph-match but the query ended"],
  ['T | make-graph a -> b', "KQL1003 expected '-->' between the source and target columns of make-graph, found '-'"],
  ['T | graph-to-table vertices', "KQL1003 expected 'nodes' or 'edges' in graph-to-table, found 'vertices'"],
  ['T | graph-match (a-->(b) project a.x', "KQL1003 expected ')' to close a graph node pattern, found '-'"],
];
for (const [query, want] of ERRORS) {
  test(`graph syntax error: ${want}`, () => {
    const got = parse(query).diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.equal(got[0], want);
  });
}
