/**
 * `kqlite rules import <dir>`: every .yaml/.yml under the folder, read leniently: Sentinel rules, and Sigma
 * rules (told by their content: a top-level `logsource:` and `detection:`), converted to KQL. Nothing is lost quietly:
 * a file that cannot become a rule is reported with file, line, column and reason, and the run ends with
 * `files F, rules loaded R, repaired P, failed X`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { ruleFromYaml } from './from-yaml.js';
import { gitCommitOf, licenseOf } from './provenance.js';
import type { Rule } from './rule.js';
import { readRuleYaml } from './sentinel-yaml.js';
import { saveImportedRule } from './store.js';
import { looksLikeSigma, parseSigma } from './sigma/parse.js';
import { ruleFromSigma } from './sigma/to-rule.js';

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
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

const PLACEHOLDER = /%%[A-Z0-9_]+%%/g;

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
      text = readFileSync(file, 'utf8');
    } catch (e) {
      fail(1, 1, `cannot read the file: ${(e as Error).message}`);
      continue;
    }
    // %%NAME%% marks an unfilled Sentinel template; in a Sigma rule it is text the rule looks for
    const placeholders = looksLikeSigma(text) ? [] : [...new Set(text.match(PLACEHOLDER) ?? [])];
    if (placeholders.length) {
      const at = text.slice(0, text.search(PLACEHOLDER)).split('\n');
      fail(at.length, at[at.length - 1]!.length + 1, `a template, not a rule: it has unfilled placeholders ${placeholders.join(', ')}`);
      continue;
    }
    const license = licenseOf(join(file, '..'), folder) ?? licenseOf(folder);
    const source = {
      kind: 'import' as const, name: basename(folder), path, folder, importedAt,
      ...(commit ? { commit } : {}), ...(license ? { license } : {}),
    };
    let rule: Rule;
    if (looksLikeSigma(text)) {
      // a Sigma rule (detected by content: top-level logsource and detection): converted to KQL
      const sigma = parseSigma(text);
      if (!sigma.ok) {
        fail(sigma.line, sigma.column, sigma.message);
        continue;
      }
      rule = ruleFromSigma(sigma.rule, text, source);
      report.sigma++;
      if (rule.notRunnable !== undefined) report.notRunnable++;
    } else {
      const read = readRuleYaml(text);
      if (!read.ok) {
        fail(read.problem.line, read.problem.column, read.problem.conflict ? read.problem.message : `invalid YAML: ${read.problem.message}`);
        continue;
      }
      if (!read.rule.query?.trim()) {
        fail(1, 1, "no query: the file has no 'query' field or it is empty");
        continue;
      }
      if (!read.rule.fields['id']) {
        fail(1, 1, "no 'id': a rule needs a stable id to be imported and updated");
        continue;
      }
      rule = ruleFromYaml(read.rule, text, source);
    }
    const dup = seen.get(rule.id);
    if (dup) report.problems.push({ file: path, line: 1, column: 1, reason: `same id as ${dup}: this file's rule replaces it` });
    seen.set(rule.id, path);
    report.loaded++;
    if (rule.repairs.length) report.repaired++;
    report.rules.push(rule);
    if (opts.workspaceDir) report[({ new: 'added', updated: 'updated', unchanged: 'unchanged' } as const)[saveImportedRule(opts.workspaceDir, rule)]]++;
  }
  return report;
}
