// Parse and parse+bind throughput over the conformance and corpus queries, side by side with Microsoft's
// Kusto.Language (parse: KustoCode.Parse; bind: KustoCode.ParseAndAnalyze) in the same run.
import { cpus, totalmem } from 'node:os';
import { parse } from '../src/kql/syntax/index.js';
import { checkQuery } from '../src/kql/semantics/index.js';
import { conformanceCases, corpusQueries } from '../test/helpers/corpus.js';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
const K = (globalThis as any).Kusto;

const quick = process.argv.includes('--quick');
const queries = [...conformanceCases().map((c) => c.query), ...corpusQueries('sentinel-hunting').map((q) => q.query), ...corpusQueries('rmm-tools').map((q) => q.query)];
const bytes = queries.reduce((n, q) => n + Buffer.byteLength(q), 0);

function measure(name: string, fn: (q: string) => unknown): number {
  const rounds = quick ? 2 : 5;
  for (const q of queries) fn(q); // warm up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const q of queries) fn(q);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms  ${((queries.length / ms) * 1000).toFixed(0).padStart(8)} queries/s  ${(bytes / 1048576 / (ms / 1000)).toFixed(2).padStart(7)} MB/s`);
  return ms;
}

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}`);
console.log(`corpus: ${queries.length} queries, ${(bytes / 1024).toFixed(0)} KiB; median of ${quick ? 2 : 5} rounds\n`);
const ourParse = measure('kqlite parse', (q) => parse(q));
const msParse = measure('Kusto.Language parse', (q) => K.Language.KustoCode.Parse(q));
const ourBind = measure('kqlite parse+bind', (q) => checkQuery(q));
const globals = K.Language.GlobalState.Default;
const msBind = measure('Kusto.Language parse+analyze', (q) => K.Language.KustoCode.ParseAndAnalyze(q, globals));
console.log(`\nparse speed-up: ${(msParse / ourParse).toFixed(1)}x   parse+bind speed-up: ${(msBind / ourBind).toFixed(1)}x (goal >= 10x)`);
