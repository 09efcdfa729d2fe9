// Developer report: every query of the corpora compared with Kusto.Language (not a test; the test is
// test/kql/oracle.test.ts). node --import tsx test/helpers/oracle-report.ts [id-substring]
import { conformanceCases, corpusQueries } from './corpus.js';
import { devCorpusQueries } from './corpus-dev.js';
import { compareWithKusto } from './oracle.js';

const filter = process.argv[2];
const all = [
  ...devCorpusQueries(),
  ...corpusQueries('sentinel-hunting').map((q) => ({ id: q.file, query: q.query })),
  ...conformanceCases().map((c) => ({ id: c.id, query: c.query })),
].filter((q) => !filter || q.id.includes(filter));
const counts: Record<string, number> = {};
for (const q of all) {
  let r;
  try {
    r = compareWithKusto(q.query);
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
