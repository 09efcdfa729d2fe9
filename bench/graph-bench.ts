// Graph operators on a synthetic graph built with `range`: N nodes, 3N edges (each node to three
// pseudo-random others). Times make-graph alone (through graph-to-table count), pattern matches from one
// filtered start node, a variable length walk, shortest paths from one source, and weak components.
// The first line (the edges alone) is the baseline the graph lines include.
import { cpus, totalmem } from 'node:os';
import { runQuery } from '../src/engine/index.js';

const quick = process.argv.includes('--quick');
const nodes = quick ? 30_000 : 300_000;
const edges = `range i from 0 to ${nodes * 3 - 1} step 1 | extend s = strcat('n', i % ${nodes}), d = strcat('n', hash(i, ${nodes})), w = i % 7`;
const graph = `${edges} | make-graph s --> d with_node_id=id`;
const cases: [string, string][] = [
  ['edges alone (range + extend) | count', `${edges} | count`],
  ['make-graph + graph-to-table | count', `${graph} | graph-to-table edges | count`],
  ['graph-match 2 hops from one node', `${graph} | graph-match (a)-[e1]->(b)-[e2]->(c) where a.id == 'n42' and e2.w > 2 project a.id, b.id, c.id | count`],
  ['graph-match *1..4 from one node', `${graph} | graph-match (a)-[e*1..4]->(b) where a.id == 'n42' and all(e, w > 1) project b.id, n = array_length(map(e, w)) | count`],
  ['graph-shortest-paths from one node', `${graph} | graph-shortest-paths (a)-[e*1..8]->(b) where a.id == 'n42' project b.id, map(e, w) | count`],
  ['graph-mark-components', `${graph} | graph-mark-components | graph-to-table nodes | summarize dcount(ComponentId)`],
];

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}`);
console.log(`graph: ${nodes.toLocaleString()} nodes, ${(nodes * 3).toLocaleString()} edges; median of 3 runs\n`);
for (const [name, q] of cases) {
  const times: number[] = [];
  const cpu: number[] = [];
  let rows = '';
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const res = runQuery(q, { timeoutMs: 600_000 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (!res.ok) throw new Error(`${name}: ${JSON.stringify(res.diagnostics)}`);
    rows = String(res.tables[0]!.table.columns[0]!.column.type === 'long' ? (res.tables[0]!.table.columns[0]!.column as { values: Float64Array }).values[0] : '?');
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`${name.padEnd(40)} ${times[1]!.toFixed(0).padStart(8)} ms wall ${cpu[1]!.toFixed(0).padStart(8)} ms cpu   result ${rows}`);
}
