/**
 * `kqlite rules import <dir>`: every .yaml/.yml under the folder, read leniently: Sentinel rules, and Sigma
 * rules (told by their content: a top-level `logsource:` and `detection:`), converted to KQL. Nothing is lost quietly:
 * a file that cannot become a rule is reported with file, line, column and reason, and the run ends with
 * `files F, rules loaded R, repaired P, failed X`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { gitCommitOf, licenseOf } from './provenance.js';
import type { Rule } from './rule.js';
import { MAX_RULE_FILE_BYTES, readRuleFile, RULE_TESTS_FILE, tooLargeProblem } from './readers/index.js';
import { saveImportedRule } from './store.js';

export interface ImportProblem {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export interface ImportReport {
  folder: string;
  files: number;
  loaded: number;
  repaired: number;
  failed: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Sigma rules among those loaded, and how many of them cannot run here (kept, with the reason). */
  sigma: number;
  notRunnable: number;
  problems: ImportProblem[];
  rules: Rule[];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    // rule tests beside the rules (kqlite test) are not rule files
    else if (e.isFile() && /\.ya?ml$/i.test(e.name) && !RULE_TESTS_FILE.test(e.name)) out.push(p);
  }
  return out;
}

/** Reads the rules of a folder without storing them (validate, tests) or, given a workspace, stores them. */
export function importRules(dir: string, opts: { workspaceDir?: string; now?: string } = {}): ImportReport {
  const folder = resolve(dir);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`not a folder: ${dir}`);
  const importedAt = opts.now ?? new Date().toISOString();
  const commit = gitCommitOf(folder);
  const report: ImportReport = { folder, files: 0, loaded: 0, repaired: 0, failed: 0, added: 0, updated: 0, unchanged: 0, sigma: 0, notRunnable: 0, problems: [], rules: [] };
  const seen = new Map<string, string>();
  for (const file of yamlFiles(folder)) {
    report.files++;
    const path = relative(folder, file).split(sep).join('/');
    const fail = (line: number, column: number, reason: string) => {
      report.failed++;
      report.problems.push({ file: path, line, column, reason });
    };
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > MAX_RULE_FILE_BYTES) {
        const p = tooLargeProblem(size);
        fail(p.line, p.column, p.reason);
        continue;
      }
      text = readFileSync(file, 'utf8');
    } catch (e) {
      fail(1, 1, `cannot read the file: ${(e as Error).message}`);
      continue;
    }
    try {
      const license = licenseOf(join(file, '..'), folder) ?? licenseOf(folder);
      const read = readRuleFile(text, { path, source: { kind: 'import', name: basename(folder), folder, importedAt, ...(commit ? { commit } : {}), ...(license ? { license } : {}) } });
      if (read.kind === 'failed') {
        fail(read.problem.line, read.problem.column, read.problem.reason);
        continue;
      }
      if (read.kind !== 'rules') {
        fail(1, 1, read.kind === 'skipped' ? `not a rule: ${read.reason}` : 'a parser (stored function) file, not a rule: add its folder as a source (kqlite sources add) to use it');
        continue;
      }
      const rule = read.rules[0]!;
      for (const n of read.notes) report.problems.push({ file: path, ...n });
      const dup = seen.get(rule.id);
      if (dup) report.problems.push({ file: path, line: 1, column: 1, reason: `same id as ${dup}: this file's rule replaces it` });
      seen.set(rule.id, path);
      report.loaded++;
      if (rule.language === 'sigma') {
        report.sigma++;
        if (rule.notRunnable !== undefined) report.notRunnable++;
      }
      if (rule.repairs.length) report.repaired++;
      report.rules.push(rule);
      if (opts.workspaceDir) report[({ new: 'added', updated: 'updated', unchanged: 'unchanged' } as const)[saveImportedRule(opts.workspaceDir, rule)]]++;
    } catch (e) {
      // one file never stops an import: whatever it does, it is this file's failure, named, and the rest go on
      const what = e instanceof RangeError && /call stack/i.test(e.message) ? 'nested too deeply to read' : (e as Error).message;
      fail(1, 1, `could not be imported: ${what}; fix or remove this file`);
    }
  }
  return report;
}
