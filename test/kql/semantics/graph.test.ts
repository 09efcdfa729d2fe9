// Graph misuse is reported by the binder with the graph codes (KQL2020: a graph where a table belongs or
// the reverse; KQL2021: pattern and graph-function mistakes). Each case: a query and the one diagnostic
// it must give ("" = none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkQuery } from '../../../src/kql/semantics/index.js';

const E = 'let E = datatable(s:string, d:string, w:long)["a","b",1]; let N = datatable(name:string, age:long)["a",1]; ';
const G = E + 'E | make-graph s --> d with N on name ';

const CASES: [string, string][] = [
  [G + '| graph-match (x)-[e*1..3]->(y) where x.age > 1 and all(e, w > 0) project x.name, m=map(e, w), node_degree_in(x)', ''],
  [G + '| graph-to-table nodes with_node_id=id | where id > 0', ''],
  ['graph("Model") | graph-match (a)-->(b) project a.x', ''],
  [G + '| where s == "a"', "KQL2020 'where' needs a table, but its input is a graph; follow make-graph with graph-match, graph-shortest-paths, graph-to-table or graph-mark-components"],
  [G, 'KQL2020 a query cannot return a graph; follow it with graph-match, graph-shortest-paths or graph-to-table'],
  [E + 'E | graph-match (a)-->(b) project a.s', "KQL2020 'graph-match' needs a graph input (make-graph or graph()), but its input is a table"],
  [G + '| make-graph s --> d | graph-to-table nodes', "KQL2020 'make-graph' needs a table, but its input is a graph; follow make-graph with graph-match, graph-shortest-paths, graph-to-table or graph-mark-components"],
  [E + 'E | make-graph s --> d with (E | make-graph s --> d) on s | graph-to-table nodes', 'KQL2020 the nodes of make-graph must be a table, not a graph'],
  [E + 'let g = E | make-graph s --> d; E | join (g) on s', 'KQL2020 join needs a table, but this is a graph; turn it into one with graph-match, graph-shortest-paths or graph-to-table'],
  [E + 'let g = E | make-graph s --> d; union E, g', 'KQL2020 union needs a table, but this is a graph; turn it into one with graph-match, graph-shortest-paths or graph-to-table'],
  [G + '| graph-match (x)-[e]->(y) project x, e', ''],
  [G + '| graph-match (x)-[e*1..2]->(y) project map(e, x)', "KQL2021 inside all(), any() and map() only the edge's own properties can be used, not the pattern variable 'x'"],
  [E + 'let hops = 3; E | make-graph s --> d | graph-match (x)-[e*1..hops]->(y) project e', ''],
  [E + 'let hops = "3"; E | make-graph s --> d | graph-match (x)-[e*1..hops]->(y) project e', "KQL2007 a variable length edge's length must be an integer, but 'hops' is string"],
  [E + 'E | make-graph s --> d | graph-match (x)-[e*1..hops]->(y) project e', "KQL2001 unknown column or variable 'hops'"],
  [G + '| graph-match (x)-[e]->(y) project all(e, w > 1)', 'KQL2021 the first argument of all() must be a variable length edge of the pattern (-[e*1..3]->) or inner_nodes() of one'],
  [G + '| graph-match (x)-[e*1..2]->(y) project map(e, x.age)', "KQL2021 inside all(), any() and map() name the edge's properties directly ('age'), not through the variable 'x'"],
  [G + '| graph-match (x)-[e*1..2]->(y) project node_id()', 'KQL2021 node_id() without an argument is only allowed inside all(), any() or map() over inner_nodes(...)'],
  [G + '| graph-match (x)-[e*1..2]->(y) project inner_nodes(e)', 'KQL2021 inner_nodes() can only be the first argument of all(), any() or map()'],
  [G + '| graph-match (x)-[e]->(y)-[e]->(z) project x.name', "KQL2021 'e' is already a variable of the pattern; each edge needs its own name"],
  [G + '| graph-match (x)-[e]->(y), (a)-->(b) project x.name', 'KQL2021 each comma-separated pattern must share a named node with the others (only connected patterns are supported)'],
  [G + '| graph-match (x)-->(y), (a)-->(b), (b)-->(x) project x.name', ''],
  [G + '| graph-match cycles=some (x)-->(y) project x.name', 'KQL2021 cycles must be one of all, none, unique_edges'],
  [G + '| graph-shortest-paths (x)-[e]->(y) project x.name', 'KQL2021 graph-shortest-paths needs a variable length edge in its pattern (-[e*1..n]->)'],
  [G + '| graph-match (x)-->(y) project x.nmae', "KQL2001 unknown column or variable 'nmae'; did you mean 'name'?"],
  [G + '| graph-match (x)-[e]->(y) where e.w project x.name', 'KQL2007 the where clause of graph-match must be a boolean, not long'],
];

for (const [query, want] of CASES) {
  test(`graph binding: ${want || query.slice(E.length)}`, () => {
    const got = checkQuery(query).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(got, want ? [want] : []);
  });
}
