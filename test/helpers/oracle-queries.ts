// The queries the front end is compared with Kusto.Language on: the development corpus (test/corpus), the
// Sentinel hunting and RMM corpora and the conformance cases.
import { conformanceCases, corpusQueries } from './corpus.js';
import { devCorpusQueries } from './corpus-dev.js';

export function oracleQueries(): { id: string; query: string }[] {
  return [
    ...devCorpusQueries(),
    ...corpusQueries('sentinel-hunting').map((q) => ({ id: q.file, query: q.query })),
    ...corpusQueries('rmm-tools').map((q) => ({ id: q.file, query: q.query })),
    ...conformanceCases().map((c) => ({ id: c.id, query: c.query })),
  ];
}
