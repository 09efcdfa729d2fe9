/**
 * Builds the development corpus of real-world KQL under test/corpus/<owner>__<repo>/: every `.kql` file of a
 * public query repository, and every ```kql / ```kusto block of its Markdown pages, as `queries.jsonl`
 * ({id, path, block, query}) plus a PROVENANCE.md naming the repository, commit and licence. Reads a local
 * clone only (the search tool's `fetch` mirror or `git clone`); tests never fetch anything.
 *   node --import tsx scripts/extract-kql-corpus.ts <git dir> <owner/name> <licence> [<commit>] [options]
 * --untagged           also takes fenced blocks with no language word (repositories that never tag their KQL)
 * --files=<regex>      which paths are whole-file queries (default `\.kql$`; e.g. `\.kusto$` or `^Queries/[^.]+$`)
 * --yaml=<regex>       takes the `query:` field of the YAML files whose path matches (Sentinel analytic rules and
 *                      hunting queries) instead of .kql/.md files
 * --exclude=<regex>    leaves out the paths that match
 * --held-out=<git dir> leaves out every query whose text (whitespace aside) is also in that repository's .kql,
 *                      .md or .yaml files: a corpus must hold no copy of the held-out measure (repeatable)
 * --fork=<owner/name> the snapshot is that fork's copy of <owner/name> (when the original is too large to fetch)
 * Only repositories whose licence allows redistribution may be added (MIT, BSD, Apache-2.0, CC-BY, public domain).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface CorpusEntry {
  id: string;
  path: string;
  /** 0 for a whole .kql file, else the 1-based number of the KQL block in the Markdown page. */
  block: number;
  query: string;
}

/** The ```kql / ```kusto fenced blocks of a Markdown page (the fence's language word decides, any case). */
export function kqlBlocks(markdown: string, untagged = false): string[] {
  const out: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([A-Za-z]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence!); j++) body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
    if ((/^(kql|kusto|kkql)$/i.test(lang!) || (untagged && lang === '')) && body.join('').trim()) out.push(body.join('\n'));
    i = j;
  }
  return out;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** The `query` of a Sentinel rule / hunting query YAML page, or undefined (no query, or not YAML). */
export function yamlQuery(text: string): string | undefined {
  try {
    const doc = parseYaml(text) as { query?: unknown } | null;
    return typeof doc?.query === 'string' && doc.query.trim() ? doc.query : undefined;
  } catch {
    return undefined;
  }
}

/** A query's text with whitespace and case set aside, to recognise a copy. */
export function queryFingerprint(query: string): string {
  return query.replace(/\/\/[^\n]*/g, '').replace(/\s+/g, '').toLowerCase();
}

/** Every query text of a repository (its .kql files, Markdown KQL blocks, YAML `query` fields), fingerprinted. */
function repositoryFingerprints(gitDir: string): Set<string> {
  const out = new Set<string>();
  const files = git(gitDir, 'ls-tree', '-r', '-z', '--name-only', 'HEAD').split('\0').filter((f) => /\.(kql|kusto|md|ya?ml|txt)$/i.test(f));
  for (const path of files) {
    let text: string;
    try {
      text = git(gitDir, 'show', `HEAD:${path}`);
    } catch {
      continue; // a file the snapshot lacks
    }
    const queries = /\.md$/i.test(path) ? kqlBlocks(text, true) : /\.ya?ml$/i.test(path) ? [yamlQuery(text) ?? ''] : [text];
    for (const q of queries) if (q.trim()) out.add(queryFingerprint(q));
  }
  return out;
}

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function main(): void {
  const untagged = process.argv.includes('--untagged');
  const [gitDir, repo, licence, commitArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!gitDir || !repo || !licence) {
    console.error('usage: extract-kql-corpus.ts <git dir> <owner/name> <licence> [<commit>] [--untagged] [--files=re] [--yaml=re] [--exclude=re] [--held-out=dir] [--fork=owner/name]');
    process.exit(2);
  }
  const wholeFile = new RegExp(option('files') ?? '\\.kql$', 'i');
  const yaml = option('yaml') === undefined ? undefined : new RegExp(option('yaml')!);
  const exclude = option('exclude') === undefined ? undefined : new RegExp(option('exclude')!, 'i');
  const fork = option('fork');
  const heldOut = new Set<string>();
  for (const dir of process.argv.filter((a) => a.startsWith('--held-out=')).map((a) => a.slice('--held-out='.length))) {
    for (const f of repositoryFingerprints(dir)) heldOut.add(f);
  }
  const commit = git(gitDir, 'rev-parse', commitArg ?? 'HEAD').trim();
  const files = git(gitDir, 'ls-tree', '-r', '-z', '--name-only', commit)
    .split('\0')
    .filter((f) => f && !exclude?.test(f) && (yaml ? yaml.test(f) : wholeFile.test(f) || /\.md$/i.test(f)))
    .sort();
  const entries: CorpusEntry[] = [];
  let copies = 0;
  const keep = (e: CorpusEntry) => {
    if (heldOut.has(queryFingerprint(e.query))) copies++;
    else entries.push(e);
  };
  for (const path of files) {
    const text = git(gitDir, 'show', `${commit}:${path}`);
    if (yaml) {
      const query = yamlQuery(text);
      if (query) keep({ id: path, path, block: 0, query });
      continue;
    }
    if (wholeFile.test(path)) {
      if (text.trim()) keep({ id: path, path, block: 0, query: text.replace(/^\uFEFF/, '') });
      continue;
    }
    kqlBlocks(text, untagged).forEach((query, k) => keep({ id: `${path}#${k + 1}`, path, block: k + 1, query }));
  }
  const out = join(here, '..', 'test', 'corpus', repo.replace('/', '__'));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'queries.jsonl'), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  // the licence's own text travels with the queries (MIT and BSD ask for the notice to be kept)
  const licenceFile = git(gitDir, 'ls-tree', '--name-only', commit).split('\n').find((f) => /^(licen[sc]e|copying)(\.\w+)?$/i.test(f)) ?? 'LICENSE';
  writeFileSync(join(out, 'LICENSE'), git(gitDir, 'show', `${commit}:${licenceFile}`));
  const pages = new Set(entries.map((e) => e.path)).size;
  const what = yaml
    ? `the \`query\` field of ${pages} YAML files whose path matches \`${yaml.source}\``
    : `${pages} files`;
  writeFileSync(
    join(out, 'PROVENANCE.md'),
    `# ${repo}\n\nRepository: https://github.com/${repo}` +
      (fork ? `, as carried by its fork https://github.com/${fork} at that fork's commit ${commit}` : `, commit ${commit}`) +
      `. Licence: ${licence} (its ${licenceFile} file, copied beside this\n` +
      `one as LICENSE; its copyright notice and terms apply to these queries).\n\n` +
      `\`queries.jsonl\`: ${entries.length} queries from ${what}, each with the path it was read from (\`path\`) and, for a\n` +
      `Markdown page, which \`\`\`kql${untagged ? ' (or untagged)' : ''} block it is (\`block\`, 1-based; 0 = the whole file). Taken unchanged as test data by\n` +
      `scripts/extract-kql-corpus.ts; kqlite ships none of it.` +
      (exclude ? ` Paths matching \`${exclude.source}\` were left out.` : '') +
      (heldOut.size ? ` ${copies} queries that are copies of the held-out measure's were left out.` : '') +
      `\n`,
  );
  console.log(`${repo}: ${entries.length} queries from ${pages} files at ${commit}${heldOut.size ? `; ${copies} held-out copies left out` : ''}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
