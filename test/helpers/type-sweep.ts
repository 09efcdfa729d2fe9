// Developer report (not a test: it takes about half a minute of CPU): every scalar function and aggregate
// kqlite knows, called with arguments of each scalar type, and every arithmetic operator over each pair of
// types, bound by kqlite and analysed by Kusto.Language;
// prints each call Kusto.Language accepts whose result type differs (or that kqlite rejects). How the result
// type rules of src/kql/semantics/signatures/ (`bin`, `sum`, `mean`, `pct`, `common` ...) were checked.
//   node --import tsx test/helpers/type-sweep.ts [name-substring]
import { msAnalyze } from './ms-parser.js';
import { bind, defaultCatalog } from '../../src/kql/semantics/index.js';
import { parse } from '../../src/kql/syntax/index.js';
import { AGGREGATE_SIGNATURES, FUNCTION_SIGNATURES, type FunctionSignature } from '../../src/kql/semantics/signatures/index.js';

const catalog = defaultCatalog();
const TYPES = ['int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'string', 'bool', 'dynamic', 'guid'];
const TABLE = `datatable(${TYPES.map((t) => `c_${t}:${t}`).join(', ')}, w:long, p:bool)[]`;
/** What an aggregate takes after its value: a predicate, a percentage, a weight ... */
const AGGREGATE_TAIL: Record<string, string> = {
  sumif: ', p', avgif: ', p', minif: ', p', maxif: ', p', dcountif: ', p', take_anyif: ', p', make_set_if: ', p', make_list_if: ', p', make_bag_if: ', p',
  stdevif: ', p', varianceif: ', p', variancepif: ', p', count_distinctif: ', p', hll_if: ', p', percentile: ', 50', percentiles: ', 50', percentilew: ', w, 50',
  percentilesw: ', w, 50', covariance: ', c_real', covariancep: ', c_real', covarianceif: ', c_real, p', covariancepif: ', c_real, p',
};
const filter = process.argv[2];

function compare(query: string, what: string): void {
  const ms = msAnalyze(query, catalog);
  if (ms.syntaxErrors.length || ms.semanticErrors.length) return;
  const bound = bind(parse(query).script, { catalog });
  const error = bound.diagnostics.find((d) => d.severity === 'error');
  if (error) return void console.log(`${what}: Kusto.Language accepts it, kqlite: ${error.message}`);
  const ours = bound.resultSchemas[bound.resultSchemas.length - 1]!.columns.map((c) => c.type).join(',');
  const theirs = ms.columns?.map((c) => c.type).join(',');
  if (ours !== theirs) console.log(`${what}: Kusto.Language ${theirs}, kqlite ${ours}`);
}

const unique = (m: ReadonlyMap<string, FunctionSignature>) => [...new Map([...m.values()].map((s) => [s.name, s])).values()].filter((s) => !filter || s.name.includes(filter));
for (const sig of unique(FUNCTION_SIGNATURES)) {
  const counts = [...new Set([sig.minArgs, Math.min(sig.maxArgs, sig.minArgs + 1)])].filter((k) => k >= 1 && k <= 3);
  for (const k of counts) for (const t of TYPES) compare(`${TABLE} | project r = ${sig.name}(${Array(k).fill(`c_${t}`).join(', ')})`, `${sig.name}(${k} x ${t})`);
}
for (const sig of unique(AGGREGATE_SIGNATURES)) {
  if (sig.name === 'count' || sig.name === 'countif') continue;
  for (const t of TYPES) compare(`${TABLE} | summarize r = ${sig.name}(c_${t}${AGGREGATE_TAIL[sig.name] ?? ''})`, `${sig.name}(${t})`);
}
if (!filter || filter === 'operators') {
  for (const op of ['+', '-', '*', '/', '%']) for (const a of TYPES) for (const b of TYPES) compare(`${TABLE} | project r = c_${a} ${op} c_${b}`, `${a} ${op} ${b}`);
}
