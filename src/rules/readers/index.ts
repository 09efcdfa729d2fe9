/**
 * The one per-file reader of rule content, used by `kqlite rules import <dir>` and by source syncs alike:
 * chosen by the file's extension (and, for YAML, by its fields). Files no reader takes are skipped.
 */
import { readKqlFile } from './kql-file.js';
import { readMarkdown } from './markdown.js';
import { readSentinelYaml } from './sentinel.js';
import { readSigmaYaml } from './sigma.js';
import { looksLikeSigma } from '../sigma/parse.js';
import type { FileProblem, FileRead, ReadOptions } from './types.js';

export type { FileRead, FileProblem, ReadOptions } from './types.js';
export { safeHttpUrl, referencesOf } from './safe-url.js';

/** Extensions some reader takes (a file with another is not looked at). */
export const RULE_FILE = /\.(ya?ml|kql|csl|kusto|txt|md|markdown)$/i;

/**
 * The largest rule file any reader takes: 2 MiB. Real rule files are far smaller (the largest in the Sentinel,
 * Sigma and community corpora kqlite is tested on is ~300 KB, a Sigma list of vulnerable drivers); a bigger
 * one is refused before it is read, so a hostile repository cannot make a sync or an import parse 100 MB.
 */
export const MAX_RULE_FILE_BYTES = 2 * 1024 * 1024;

/** The problem of a file over MAX_RULE_FILE_BYTES (counted as failed; the other files load). */
export function tooLargeProblem(bytes: number): FileProblem {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return { line: 1, column: 1, reason: `the file is ${mib(bytes)}: rule files are read up to ${mib(MAX_RULE_FILE_BYTES)} (a rule this large is not a rule)` };
}

/** Rule tests kept beside rules (`<rule>.tests.yaml`, run by `kqlite test`): not rules, so no reader takes them. */
export const RULE_TESTS_FILE = /\.tests\.ya?ml$/i;

export function readRuleFile(text: string, opts: ReadOptions): FileRead {
  const p = opts.path.toLowerCase();
  if (RULE_TESTS_FILE.test(p)) return { kind: 'skipped', reason: 'rule tests (kqlite test runs them)' };
  // callers check the size before reading; this catches text that came another way (UTF-16 units ≤ bytes)
  if (text.length > MAX_RULE_FILE_BYTES) return { kind: 'failed', problem: tooLargeProblem(Buffer.byteLength(text)) };
  // a Git LFS pointer stands in for content kept on an LFS server, which kqlite never fetches
  if (/^version https:\/\/git-lfs\.github\.com\/spec\/v1\n/.test(text)) return { kind: 'failed', problem: { line: 1, column: 1, reason: 'a Git LFS pointer, not the file: its content is on an LFS server, and kqlite reads only what the repository holds' } };
  // Sigma by content (top-level logsource and detection), else Sentinel's fields
  if (/\.ya?ml$/.test(p)) return looksLikeSigma(text) ? readSigmaYaml(text, opts) : readSentinelYaml(text, opts);
  if (/\.(kql|csl|kusto|txt)$/.test(p)) return readKqlFile(text, opts);
  if (/\.(md|markdown)$/.test(p)) return readMarkdown(text, opts);
  return { kind: 'skipped', reason: 'not a rule file type' };
}
