/**
 * `kqlite check [paths...|-] [--schema DIR] [--format text|json]`: parse and type-check KQL files, Sentinel
 * rule YAML (their `query`, bound against the tables the rule declares), Sigma rules (converted, then bound)
 * and stdin. Exit 0 when no errors.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LineMap } from '../common/span.js';
import { locate, renderLocated, type LocatedDiagnostic } from '../common/diagnostics.js';
import { checkQuery, defaultCatalog, loadSchemaDir, mergeCatalogs, type Catalog } from '../kql/semantics/index.js';
import { queryToFile, readRuleYaml } from '../rules/sentinel-yaml.js';
import { convertSigma, looksLikeSigma, parseSigma } from '../rules/index.js';

const HELP = `usage: kqlite check [paths...|-] [--schema DIR] [--format text|json]

Checks .kql/.csl files, Sentinel and Sigma rule .yaml/.yml files and stdin ('-', or no path) for syntax
and semantic errors against the Defender XDR and Windows event table schemas (plus --schema DIR of user
table schemas). A Sigma rule is converted to KQL first; one that cannot run here (its logsource or a field
has no table) is a warning saying why.
Directories are searched recursively. Exit code 0 when there are no errors, 1 otherwise.`;

const QUERY_FILE = /\.(kql|csl)$/i;
const RULE_FILE = /\.ya?ml$/i;

function collect(path: string, out: string[]): void {
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(path);
    return;
  }
  for (const n of readdirSync(path).sort()) {
    const f = join(path, n);
    if (statSync(f).isDirectory()) collect(f, out);
    else if (QUERY_FILE.test(n) || RULE_FILE.test(n)) out.push(f);
  }
}

/**
 * A Sigma rule: converted, and its KQL bound. What keeps it from running here (a logsource or a field with no
 * table) is a warning at the rule's line; a rule that is itself wrong, or KQL that does not bind, an error.
 */
function checkSigma(file: string, text: string, catalog: Catalog): LocatedDiagnostic[] {
  const at = (line: number, code: string, severity: 'error' | 'warning', message: string): LocatedDiagnostic => ({ file, line, column: 1, endLine: line, endColumn: 2, code, severity, message });
  const parsed = parseSigma(text);
  if (!parsed.ok) return [at(parsed.line, 'KQL3001', 'error', `cannot read the Sigma rule: ${parsed.message}`)];
  const conv = convertSigma(parsed.rule);
  if (conv.notRunnable !== undefined) {
    const n = conv.notes.find((x) => x.severity === 'error')!;
    return [at(Number(/line (\d+)/.exec(n.message)?.[1] ?? 1), n.code, conv.invalid ? 'error' : 'warning', n.message)];
  }
  // KQL1012 (template placeholders in literals) does not apply: such text comes from the rule's own values
  return checkQuery(conv.query, { catalog, tables: [conv.target!.table] }).diagnostics.filter((d) => d.code !== 'KQL1012').map((d) => at(1, d.code, d.severity === 'error' ? 'error' : 'warning', `the KQL converted from this rule: ${d.message}`));
}

export function checkText(file: string, text: string, catalog: Catalog): LocatedDiagnostic[] {
  if (!RULE_FILE.test(file)) return locate(file, text, checkQuery(text, { catalog }).diagnostics);
  if (looksLikeSigma(text)) return checkSigma(file, text, catalog);
  const read = readRuleYaml(text);
  if (!read.ok) {
    const p = read.problem;
    return [{ file, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1, code: 'KQL3001', severity: 'error', message: `cannot read the rule YAML: ${p.message}` }];
  }
  const { rule } = read;
  if (rule.query === undefined || rule.query.trim() === '') {
    return [{ file, line: 1, column: 1, endLine: 1, endColumn: 2, code: 'KQL3002', severity: 'error', message: 'the rule has no query' }];
  }
  const result = checkQuery(rule.query, { catalog, tables: rule.tables });
  const map = new LineMap(rule.query);
  const pos = rule.queryPosition ?? { line: 1, indent: 0 };
  return result.diagnostics.map((d) => {
    const a = queryToFile(pos, map.lineCol(d.span.start));
    const z = queryToFile(pos, map.lineCol(d.span.end));
    const out: LocatedDiagnostic = { file, line: a.line, column: a.column, endLine: z.line, endColumn: z.column, code: d.code, severity: d.severity, message: d.message };
    if (d.suggestion !== undefined) out.suggestion = d.suggestion;
    return out;
  });
}

export async function run(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({ args, allowPositionals: true, options: { schema: { type: 'string' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    process.stderr.write(`kqlite check: ${(e as Error).message}\n${HELP}\n`);
    return 1;
  }
  if (opts.values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = opts.values.format;
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`kqlite check: --format must be text or json, not '${format}'\n`);
    return 1;
  }
  let catalog = defaultCatalog();
  if (opts.values.schema) {
    try {
      const loaded = loadSchemaDir(opts.values.schema);
      for (const p of loaded.problems) process.stderr.write(`${p.file}: ${p.diagnostic.message}\n`);
      catalog = mergeCatalogs(catalog, loaded.catalog);
    } catch (e) {
      process.stderr.write(`kqlite check: cannot read --schema ${opts.values.schema}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const inputs: { file: string; text: string }[] = [];
  const paths = opts.positionals.length ? opts.positionals : ['-'];
  for (const p of paths) {
    if (p === '-') {
      inputs.push({ file: '<stdin>', text: readFileSync(0, 'utf8') });
      continue;
    }
    const files: string[] = [];
    try {
      collect(p, files);
    } catch {
      process.stderr.write(`kqlite check: no such file or directory: ${p}\n`);
      return 1;
    }
    for (const f of files) inputs.push({ file: f, text: readFileSync(f, 'utf8') });
  }
  const all: LocatedDiagnostic[] = [];
  const rendered: string[] = [];
  for (const { file, text } of inputs) {
    const diags = checkText(file, text, catalog);
    all.push(...diags);
    if (format === 'text' && diags.length) {
      const map = new LineMap(text.replace(/\r\n?/g, '\n'));
      rendered.push(diags.map((d) => renderLocated(text.replace(/\r\n?/g, '\n'), d, map)).join('\n\n'));
    }
  }
  const errors = all.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    process.stdout.write(JSON.stringify(all.map(({ suggestion, ...d }) => (suggestion === undefined ? d : { ...d, suggestion })), null, 2) + '\n');
  } else {
    if (rendered.length) process.stdout.write(rendered.join('\n\n') + '\n\n');
    process.stdout.write(`checked ${inputs.length} file${inputs.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${all.length - errors} warning${all.length - errors === 1 ? '' : 's'}\n`);
  }
  return errors ? 1 : 0;
}
