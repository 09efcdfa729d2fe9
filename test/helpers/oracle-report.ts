// Developer report: every query of the corpora compared with Kusto.Language (not a test; the test is
// test/kql/oracle.test.ts). node --import tsx test/helpers/oracle-report.ts [id-substring]
import { cachedMsAnalyze } from './oracle-cache.js';
import { compareWithKusto } from './oracle.js';
import { oracleQueries } from './oracle-queries.js';
import { defaultCatalog } from '../../src/kql/semantics/index.js';

const filter = process.argv[2];
const all = oracleQueries().filter((q) => !filter || q.id.includes(filter));
const catalog = defaultCatalog();
const counts: Record<string, number> = {};
for (const q of all) {
  let r;
  try {
    r = compareWithKusto(q.query, catalog, cachedMsAnalyze);
  } catch (e) {
    console.log(`${q.id}: CRASH ${(e as Error).stack}`);
    counts.crash = (counts.crash ?? 0) + 1;
    continue;
  }
  for (const d of r.differences) {
    const kind = d.split(':')[0]!;
    counts[kind] = (counts[kind] ?? 0) + 1;
    console.log(`${q.id}: ${d}`);
  }
}
console.log(`${all.length} queries`, counts);
