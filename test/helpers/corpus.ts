// Test data access: the conformance cases and the rule corpora in ../shared (read by tests only).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED = resolve('..', 'shared');

export interface ConformanceCase {
  id: string;
  query: string;
  columns: string[];
  rows: string[][];
  ordered: boolean;
  flags: string[];
  operators: string[];
  functions: string[];
  plugins: string[];
}

export function conformanceCases(): ConformanceCase[] {
  return readFileSync(join(SHARED, 'kql-conformance', 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ConformanceCase);
}

export function filesUnder(dir: string, re: RegExp, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const f = join(dir, n);
    if (statSync(f).isDirectory()) filesUnder(f, re, out);
    else if (re.test(n)) out.push(f);
  }
  return out;
}

/**
 * The `query: |` block of a Sentinel YAML file, taken out by indentation (works on the malformed
 * upstream files too): CRLF normalised, the block's common indentation removed.
 */
export function extractQuery(yamlText: string): string | undefined {
  const lines = yamlText.replace(/\r\n?/g, '\n').split('\n');
  const i = lines.findIndex((l) => /^query:\s*[|>][-+]?\s*$/.test(l));
  if (i < 0) {
    const inline = lines.find((l) => /^query:\s*\S/.test(l));
    if (!inline) return undefined;
    return inline.replace(/^query:\s*/, '').replace(/^(['"])(.*)\1$/, '$2');
  }
  const body: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.trim() !== '' && !/^\s/.test(l)) break;
    body.push(l);
  }
  while (body.length && body[body.length - 1]!.trim() === '') body.pop();
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export interface CorpusQuery {
  file: string;
  query: string;
}

export function corpusQueries(folder: 'sentinel-hunting' | 'rmm-tools'): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  for (const f of filesUnder(join(SHARED, 'corpus', folder), /\.ya?ml$/i)) {
    const q = extractQuery(readFileSync(f, 'utf8'));
    if (q !== undefined && q.trim() !== '') out.push({ file: f.slice(SHARED.length + 1), query: q });
  }
  return out;
}
