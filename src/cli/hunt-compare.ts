/**
 * `kqlite hunt --compare <git-ref|rule-file> [paths...]`: impact analysis of rule changes before they are
 * merged. With a git ref, the rule files under `paths` (default: the current folder) in the git work tree are
 * compared with the same paths at the ref; with a rule file, that file is compared with the rule of the same id
 * kqlite has (built-in, imported or synced). Both versions run over the workspace with one now(), and the
 * findings each would record are compared (src/hunts/compare.ts). Nothing is stored.
 */
import { existsSync, statSync } from 'node:fs';
import { compareRuleVersions, distinguishingKey, type ImpactReport, type RuleImpact } from '../hunts/index.js';
import { externalDataFor, Workspace } from '../ingest/index.js';
import { parseDatetimeText } from '../kql/syntax/index.js';
import { loadRules, ruleVersionsOfFile, ruleVersionsSince, sources, type RuleVersions } from '../rules/index.js';
import { printable, printableLine } from '../common/printable.js';
import { checkFormat, color, parseCommand, UsageError, workspaceDir } from './shared.js';

export const COMPARE_HELP = `usage: kqlite hunt --compare <git-ref|rule-file> [paths...] [--workspace DIR] [--as-of TIME]
                   [--format text|json] [--examples N] [--allow-network]

Impact analysis: runs the old and the new version of changed rules over the workspace (now() bound to
--as-of, default the latest event) and reports, per rule, the findings the change gains and loses, with
example rows. Nothing is stored.
  <git-ref>    rule files under paths (default: the current folder) in their git work tree, committed or
               not, against the same paths at the ref (a branch, tag or commit: main, HEAD~1, origin/main);
               added and removed files count as rules gained or lost whole
  <rule-file>  that file against the rule with the same id kqlite already has
--examples N: example rows per gained or lost finding (default 1). Exit 0, or 1 on an error.`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function versionText(v: RuleImpact['old']): string {
  if (!v) return 'none';
  return v.outcome === 'ran' ? `${plural(v.findings, 'finding')} from ${plural(v.rows, 'row')}` : `${v.outcome} (${v.reason})`;
}

function findingText(f: RuleImpact['gained'][number]): string {
  const what = distinguishingKey(f.key).map((k) => `${k.column}=${k.value}`).join(' ');
  return `${f.device ?? ''}${f.device && what ? ' ' : ''}${what || (f.device ? '' : JSON.stringify(f.key))} (${plural(f.count, 'event')}, ${f.firstSeen.slice(0, 19)}Z..${f.lastSeen.slice(0, 19)}Z)`;
}

function printReport(versions: RuleVersions, report: ImpactReport): void {
  const out = process.stdout;
  const base = versions.base.commit ? `${versions.base.ref} (${versions.base.commit.slice(0, 12)})` : 'the rules kqlite has';
  out.write(`impact of ${plural(report.rules.length, 'changed rule')} against ${base}, as of ${report.asOf}\n`);
  for (const r of report.rules) {
    out.write(printable(`\n${r.change} ${r.file}: ${r.name} [${r.id}]\n`));
    out.write(`  before: ${versionText(r.old)}\n  after:  ${versionText(r.new)}\n`);
    out.write(`  findings: ${color(32, `+${r.gained.length} gained`)}, ${color(31, `-${r.lost.length} lost`)}, ${r.kept} kept${r.changed ? ` (${r.changed} with other evidence)` : ''}\n`);
    for (const [sign, list] of [['+', r.gained], ['-', r.lost]] as const) {
      for (const f of list) {
        out.write(`  ${sign} ${printableLine(findingText(f))}\n`);
        for (const row of f.rows) out.write(`      ${JSON.stringify(row)}\n`);
      }
    }
  }
  for (const p of versions.problems) out.write(`\n${color(31, printable(`cannot compare ${p.file}: ${p.reason}`))}\n`);
  const g = report.rules.reduce((n, r) => n + r.gained.length, 0);
  const l = report.rules.reduce((n, r) => n + r.lost.length, 0);
  out.write(`\ntotal: ${plural(report.rules.length, 'rule')} changed, ${g} finding${g === 1 ? '' : 's'} gained, ${l} lost${versions.problems.length ? `, ${plural(versions.problems.length, 'file')} not compared` : ''}\n`);
}

export async function runCompare(args: string[]): Promise<number> {
  const p = parseCommand('hunt', args, {
    compare: { type: 'string' }, workspace: { type: 'string', short: 'w' }, 'as-of': { type: 'string' }, format: { type: 'string' },
    examples: { type: 'string' }, 'allow-network': { type: 'boolean' },
  }, COMPARE_HELP, ['[paths...]']);
  if (!p) return 0;
  const v = p.values;
  const format = checkFormat(v.format, ['text', 'json']);
  const against = v.compare;
  if (!against) throw new UsageError(`--compare needs a git ref or a rule file\n${COMPARE_HELP}`);
  const examples = v.examples === undefined ? 1 : Number(v.examples);
  if (!Number.isInteger(examples) || examples < 0) throw new UsageError(`--examples must be a whole number, not '${v.examples}'`);
  let asOf: bigint | undefined;
  if (v['as-of'] !== undefined) {
    asOf = parseDatetimeText(v['as-of']);
    if (asOf === undefined) throw new UsageError(`--as-of '${v['as-of']}' is not a datetime (use ISO 8601, e.g. 2026-11-20T00:00:00Z)`);
  }
  const dir = workspaceDir(v.workspace);
  if (!existsSync(dir)) throw new Error(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest)`);
  const isFile = statSync(against, { throwIfNoEntry: false })?.isFile() === true;
  if (isFile && p.positionals.length) throw new UsageError(`--compare ${against} is a rule file: paths go with a git ref\n${COMPARE_HELP}`);
  const versions = isFile ? ruleVersionsOfFile(against, loadRules(dir)) : ruleVersionsSince(against, p.positionals.length ? p.positionals : ['.']);
  const ws = Workspace.open(dir);
  const report = compareRuleVersions(versions.changes, {
    source: ws, library: sources.workspaceLibrary(dir), externalData: externalDataFor(dir, { allowNetwork: Boolean(v['allow-network']) }), examples,
    ...(asOf !== undefined ? { asOf } : {}),
  });
  if (format === 'json') process.stdout.write(JSON.stringify({ base: versions.base, asOf: report.asOf, rules: report.rules, problems: versions.problems }, null, 1) + '\n');
  else printReport(versions, report);
  return versions.problems.length ? 1 : 0;
}
