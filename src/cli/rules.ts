/**
 * `kqlite rules import <dir>`, `rules list [--status S] [--format table|json]`, `rules show <id> [--format table|json]`,
 * `rules validate [dir]`: detection content in the workspace (built-in RMM pack + imports).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// modules, not the hunts and ingest barrels, whose other modules (ingest's readers and worker pool, the
// demo generator) `rules` never runs but would load and set up on every `rules list`
import { FINDINGS_FILE, openFindingsDb } from '../hunts/db.js';
import { devicesSeen } from '../hunts/findings-store.js';
import { Workspace } from '../store/workspace.js';
import { locateRuleDiagnostic, renderRuleDiagnostics } from '../rules/rule-diagnostics.js';
import type { Rule } from '../rules/rule.js';
import { loadRules, readRuleStore } from '../rules/store.js';
import { printable, printableLine } from '../common/printable.js';
import { checkFormat, guarded, parseSubcommand, textTable, UsageError, workspaceDir, type SubCommand } from './shared.js';

/** Text for people: names, descriptions and queries from rule files cannot drive the terminal. */
const say = (text: string) => process.stdout.write(printable(text));

const HELP = `usage: kqlite rules import <dir> [--workspace DIR] [--format table|json]
       kqlite rules list [--status valid|warning|error] [--source builtin|import] [--format table|json]
       kqlite rules show <id> [--format table|json]
       kqlite rules validate [<dir>] [--format table|json]`;

const SUBS: Record<string, SubCommand> = {
  import: { positionals: ['<dir>'], options: ['format'] },
  list: { positionals: [], options: ['status', 'source', 'format'] },
  show: { positionals: ['<id>'], options: ['format'] },
  validate: { positionals: ['[dir]'], options: ['format'] },
};

function listEntry(r: Rule) {
  return { id: r.id, name: r.name, status: r.status, severity: r.severity, tool: r.tool ?? null, kind: r.kind, tables: r.tables, techniques: r.techniques, tactics: r.tactics,
    tags: r.tags, source: r.source, ...(r.alsoFrom ? { alsoFrom: r.alsoFrom } : {}), references: r.references ?? [], repairs: r.repairs, version: r.version, language: r.language ?? 'kql', ...(r.notRunnable !== undefined ? { notRunnable: r.notRunnable } : {}),
    diagnostics: r.diagnostics.map((d) => {
      const at = locateRuleDiagnostic(r, d, r.source.path ?? `${r.id}.yaml`);
      // start/end: offsets into the query, or into the file when the diagnostic is about a field; line/column: in the file
      return { code: d.code, severity: d.severity, message: d.message, ...(d.field ? { field: d.field } : {}), line: at.line, column: at.column, start: d.span.start, end: d.span.end, ...(d.suggestion ? { suggestion: d.suggestion } : {}) };
    }) };
}

/**
 * The rule readers, validation and enrichment, for `import`, `validate <dir>` and `show`: loaded when one of
 * them runs, so `rules list` does not parse the ATT&CK data (490 KiB) and the RMM catalog that every module
 * of the rules barrel sets up as it loads (a literal specifier: the bundled CLI holds the modules).
 */
function rulesReaders(): Promise<typeof import('../rules/index.js')> {
  return import('../rules/index.js');
}

function tablesPresent(dir: string): string[] | undefined {
  return existsSync(dir) && Workspace.exists(dir) ? Workspace.open(dir).tableNames() : undefined;
}

export async function run(args: string[]): Promise<number> {
  return guarded('rules', async () => {
    const p = parseSubcommand('rules', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, status: { type: 'string' }, source: { type: 'string' } }, HELP, SUBS, 'list');
    if (!p) return 0;
    const v = p.values;
    const { sub } = p;
    const [arg] = p.positionals;
    const format = checkFormat(v.format, ['table', 'json']);
    const dir = workspaceDir(v.workspace);
    switch (sub) {
      case 'import':
      case 'validate': {
        if (sub === 'validate' && !arg) {
          const damaged = reportDamaged(dir);
          return Math.max(printRules(loadRules(existsSync(dir) ? dir : undefined), format, true), damaged ? 1 : 0);
        }
        const { importRules } = await rulesReaders();
        const report = importRules(arg!, sub === 'import' ? { workspaceDir: dir } : {});
        if (format === 'json') process.stdout.write(JSON.stringify({ ...report, rules: report.rules.map(listEntry) }, null, 1) + '\n');
        else {
          for (const pr of report.problems) say(`${printableLine(pr.file)}:${pr.line}:${pr.column}: ${pr.reason}\n`);
          for (const r of report.rules.filter((r) => r.status !== 'valid')) {
            if (r.notRunnable !== undefined) {
              // kept in the feed; one line says why it cannot run here
              say(`${r.source.path}: not runnable here: ${r.notRunnable}\n`);
              continue;
            }
            const ds = r.diagnostics.filter((d) => d.severity !== 'info');
            // the first problems in full (file:line:col, the line, a caret), then how many more
            const shown = renderRuleDiagnostics(r, ds.slice(0, 3)) + (ds.length > 3 ? `\n(+${ds.length - 3} more; --format json lists every one)` : '');
            say(`${r.status}: ${r.source.path}\n${shown}\n`);
          }
          say(`files ${report.files}, rules loaded ${report.loaded}${report.sigma ? ` (Sigma ${report.sigma}, not runnable here ${report.notRunnable})` : ''}, repaired ${report.repaired}, failed ${report.failed}` +
            (sub === 'import' ? ` (new ${report.added}, updated ${report.updated}, unchanged ${report.unchanged})` : '') +
            `; valid ${report.rules.filter((r) => r.status === 'valid').length}, warning ${report.rules.filter((r) => r.status === 'warning').length}, error ${report.rules.filter((r) => r.status === 'error').length}\n`);
        }
        return report.failed ? 1 : 0;
      }
      case 'list': {
        reportDamaged(dir);
        let rules = loadRules(existsSync(dir) ? dir : undefined);
        if (v.status) rules = rules.filter((r) => r.status === v.status);
        if (v.source) rules = rules.filter((r) => r.source.kind === v.source);
        return printRules(rules, format, false);
      }
      case 'show': {
        const rule = loadRules(existsSync(dir) ? dir : undefined).find((r) => r.id === arg || r.name === arg);
        if (!rule) throw new Error(`no rule '${arg}' (see kqlite rules list)`);
        const present = tablesPresent(dir);
        const { enrichRule } = await rulesReaders();
        const enrichment = enrichRule(rule, { ...(present ? { tablesPresent: present } : {}), devicesSeen: present && existsSync(join(dir, FINDINGS_FILE)) ? devicesIn(dir, rule) : [] });
        if (format === 'json') process.stdout.write(JSON.stringify({ ...listEntry(rule), description: rule.description, query: rule.query, yaml: rule.yaml, enrichment }, null, 1) + '\n');
        else {
          const e = enrichment;
          // every section says where it came from and how sure kqlite is
          const from = (f: { source: string; confidence: string }) => `  [${f.confidence} confidence; from ${f.source}]\n`;
          const a = e.attack.value;
          say(`${rule.name}\n${rule.id} · ${rule.language === 'sigma' ? 'Sigma · ' : ''}${rule.status} · ${rule.severity}${rule.severityDerived ? ' (derived)' : ''} · ${rule.source.name}${rule.source.path ? ` ${rule.source.path}` : ''}\n`);
          if (rule.source.webUrl) say(`View original rule at ${rule.source.name}: ${rule.source.webUrl}\n`);
          for (const o of [rule.source, ...(rule.alsoFrom ?? [])]) if (o.license || o.author) say(`${o.name}${o.path ? ` ${o.path}` : ''}: licence ${o.license ?? 'not stated'}${o.author ? `, author ${o.author}` : ''}\n`);
          say('\n');
          if (rule.description) say(`${rule.description}\n\n`);
          const at = e.attribution?.value;
          if (at) {
            // DRL 1.1: a Sigma rule is shown with its authors and its licence
            say(`Author and Licence\n  author: ${at.author}\n  licence: ${at.license}\n${at.status ? `  status: ${at.status}\n` : ''}${at.level ? `  level: ${at.level}\n` : ''}${at.date ? `  date: ${at.date}${at.modified ? `, modified ${at.modified}` : ''}\n` : ''}  logsource: ${at.logsource}\n${from(e.attribution!)}\n`);
          }
          if (rule.notRunnable !== undefined) say(`Not runnable here\n  ${rule.notRunnable}\n\n`);
          say(`Hunt Hypothesis\n  ${e.hypothesis.value}\n${from(e.hypothesis)}\nKQL Query${rule.language === 'sigma' ? ' (converted from the Sigma rule)' : ''}\n${(rule.query || '(none)').replace(/^/gm, '  ')}\n\n`);
          say(`Required Data Sources\n${e.dataSources.value.map((d) => `  ${d.table}${d.present === null ? '' : d.present ? ' (present)' : ' (missing from the workspace)'}`).join('\n')}\n${from(e.dataSources)}\n`);
          say(`MITRE ATT&CK Context\n${[...a.tactics.map((t) => `  tactic ${t.id} ${t.name}`), ...a.techniques.map((t) => `  technique ${t.id} ${t.name}`), ...(a.suggestedSubtechnique ? [`  suggested ${a.suggestedSubtechnique.id} ${a.suggestedSubtechnique.name}: ${a.suggestedSubtechnique.why}`] : [])].join('\n')}\n${from(e.attack)}\n`);
          say(`References\n${e.references.value.map((r) => `  ${r.title}: ${r.url}`).join('\n')}\n${from(e.references)}\n`);
          say(`False Positive Guidance\n  ${e.falsePositives.value.guidance}\n${e.falsePositives.value.clauses.map((c) => `  ${c.title}:\n    ${c.kql}\n    // ${c.why}`).join('\n')}\n${from(e.falsePositives)}`);
          if (rule.language === 'sigma') say(`\nSigma Rule (original YAML)\n${rule.yaml.replace(/\s+$/, '').replace(/^/gm, '  ')}\n`);
          if (rule.diagnostics.length) say(`\nValidation\n${renderRuleDiagnostics(rule)}\n`);
          if (rule.source.webUrl) say(`\nOriginal source: ${rule.source.webUrl}\n`);
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown sub-command '${sub}'\n${HELP}`);
    }
  });
}

function devicesIn(dir: string, rule: Rule): string[] {
  const db = openFindingsDb(dir, { readonly: true });
  try {
    return devicesSeen(db, rule);
  } finally {
    db.close();
  }
}

/** Stored rule files that cannot be read are named on stderr (they are left out, never silently). */
function reportDamaged(dir: string): number {
  if (!existsSync(dir)) return 0;
  const { damaged } = readRuleStore(dir);
  for (const d of damaged) process.stderr.write(`kqlite rules: ${d.file}: cannot use this stored rule: ${d.reason}\n`);
  return damaged.length;
}

function printRules(rules: Rule[], format: string, validate: boolean): number {
  if (format === 'json') process.stdout.write(JSON.stringify(rules.map(listEntry), null, 1) + '\n');
  else {
    process.stdout.write(textTable(['status', 'id', 'name', 'tables', 'source'], rules.map((r) => [r.status, r.id, r.name, r.tables.join(' '), r.source.name])));
    process.stdout.write(`${rules.length} rules: valid ${rules.filter((r) => r.status === 'valid').length}, warning ${rules.filter((r) => r.status === 'warning').length}, error ${rules.filter((r) => r.status === 'error').length}\n`);
  }
  return validate && rules.some((r) => r.status === 'error') ? 1 : 0;
}
