// The development corpus of real-world KQL (test/corpus/<owner>__<repo>/queries.jsonl, see each PROVENANCE.md).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DevCorpusQuery {
  id: string;
  query: string;
}

export const DEV_CORPUS_DIR = resolve('test', 'corpus');

export function devCorpusQueries(): DevCorpusQuery[] {
  const out: DevCorpusQuery[] = [];
  // Only <owner>__<repo> folders are query corpora; others beside them (e.g. azure-sentinel/) are
  // git-source fixtures with their own layout.
  for (const repo of readdirSync(DEV_CORPUS_DIR).filter((d) => d.includes('__')).sort()) {
    const lines = readFileSync(join(DEV_CORPUS_DIR, repo, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    for (const l of lines) {
      const e = JSON.parse(l) as { id: string; query: string };
      out.push({ id: `${repo}/${e.id}`, query: e.query });
    }
  }
  return out;
}
