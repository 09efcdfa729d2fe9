/**
 * The one per-file reader of rule content, used by `kqlite rules import <dir>` and by source syncs alike:
 * chosen by the file's extension (and, for YAML, by its fields). Files no reader takes are skipped.
 */
import { readKqlFile } from './kql-file.js';
import { readMarkdown } from './markdown.js';
import { readSentinelYaml } from './sentinel.js';
import { readSigmaYaml } from './sigma.js';
import { looksLikeSigma } from '../sigma/parse.js';
import type { FileRead, ReadOptions } from './types.js';

export type { FileRead, FileProblem, ReadOptions } from './types.js';
export { safeHttpUrl, referencesOf } from './safe-url.js';

/** Extensions some reader takes (a file with another is not looked at). */
export const RULE_FILE = /\.(ya?ml|kql|csl|kusto|txt|md|markdown)$/i;

/** Rule tests kept beside rules (`<rule>.tests.yaml`, run by `kqlite test`): not rules, so no reader takes them. */
export const RULE_TESTS_FILE = /\.tests\.ya?ml$/i;

export function readRuleFile(text: string, opts: ReadOptions): FileRead {
  const p = opts.path.toLowerCase();
  if (RULE_TESTS_FILE.test(p)) return { kind: 'skipped', reason: 'rule tests (kqlite test runs them)' };
  // Sigma by content (top-level logsource and detection), else Sentinel's fields
  if (/\.ya?ml$/.test(p)) return looksLikeSigma(text) ? readSigmaYaml(text, opts) : readSentinelYaml(text, opts);
  if (/\.(kql|csl|kusto|txt)$/.test(p)) return readKqlFile(text, opts);
  if (/\.(md|markdown)$/.test(p)) return readMarkdown(text, opts);
  return { kind: 'skipped', reason: 'not a rule file type' };
}
