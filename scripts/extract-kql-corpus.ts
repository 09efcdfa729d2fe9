/**
 * Builds the development corpus of real-world KQL under test/corpus/<owner>__<repo>/: every `.kql` file of a
 * public query repository, and every ```kql / ```kusto block of its Markdown pages, as `queries.jsonl`
 * ({id, path, block, query}) plus a PROVENANCE.md naming the repository, commit and licence. Reads a local
 * clone only (the search tool's `fetch` mirror or `git clone`); tests never fetch anything.
 *   node --import tsx scripts/extract-kql-corpus.ts <git dir> <owner/name> <licence> [<commit>] [--untagged]
 * --untagged also takes fenced blocks with no language word (repositories that never tag their KQL).
 * Only repositories whose licence allows redistribution may be added (MIT, BSD, Apache-2.0, CC-BY).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

function main(): void {
  const untagged = process.argv.includes('--untagged');
  const [gitDir, repo, licence, commitArg] = process.argv.slice(2).filter((a) => a !== '--untagged');
  if (!gitDir || !repo || !licence) {
    console.error('usage: extract-kql-corpus.ts <git dir> <owner/name> <licence> [<commit>]');
    process.exit(2);
  }
  const commit = git(gitDir, 'rev-parse', commitArg ?? 'HEAD').trim();
  const files = git(gitDir, 'ls-tree', '-r', '-z', '--name-only', commit).split('\0').filter((f) => /\.(kql|md)$/i.test(f)).sort();
  const entries: CorpusEntry[] = [];
  for (const path of files) {
    const text = git(gitDir, 'show', `${commit}:${path}`);
    if (/\.kql$/i.test(path)) {
      if (text.trim()) entries.push({ id: path, path, block: 0, query: text.replace(/^\uFEFF/, '') });
      continue;
    }
    kqlBlocks(text, untagged).forEach((query, k) => entries.push({ id: `${path}#${k + 1}`, path, block: k + 1, query }));
  }
  const out = join(here, '..', 'test', 'corpus', repo.replace('/', '__'));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'queries.jsonl'), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  // the licence's own text travels with the queries (MIT and BSD ask for the notice to be kept)
  writeFileSync(join(out, 'LICENSE'), git(gitDir, 'show', `${commit}:LICENSE`));
  const pages = new Set(entries.map((e) => e.path)).size;
  writeFileSync(
    join(out, 'PROVENANCE.md'),
    `# ${repo}\n\nRepository: https://github.com/${repo}, commit ${commit}. Licence: ${licence} (its LICENSE file, copied beside this\n` +
      `one; its copyright notice and terms apply to these queries).\n\n` +
      `\`queries.jsonl\`: ${entries.length} queries from ${pages} files, each with the path it was read from (\`path\`) and, for a\n` +
      `Markdown page, which \`\`\`kql${untagged ? ' (or untagged)' : ''} block it is (\`block\`, 1-based; 0 = the whole .kql file). Taken unchanged as test data by\n` +
      `scripts/extract-kql-corpus.ts; kqlite ships none of it.\n`,
  );
  console.log(`${repo}: ${entries.length} queries from ${pages} files at ${commit}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
