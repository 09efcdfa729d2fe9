/**
 * `kqlite check [paths...|-] [--schema DIR] [--format text|json|sarif|github] [--disable CODE...] [--workspace DIR] [--no-lint]`:
 * parse and type-check KQL files, Sentinel rule YAML (their `query`, bound against the tables the rule
 * declares), Sigma rules (converted, then bound) and stdin, and lint the rules (LINTxxx, docs/LINT.md).
 * Exit 0 when no errors.
 */
import { lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LineMap } from '../common/span.js';
import { renderLocated, type LocatedDiagnostic } from '../common/diagnostics.js';
import { defaultCatalog, loadSchemaDir, mergeCatalogs } from '../kql/semantics/index.js';
import { writeCiReport, type CiReport } from '../rules/ci-formats/index.js';
import { LINT_CODES, lintCode, lintDocsUrl, parseDisableOption, workspaceLintSettings } from '../rules/lint/index.js';
import { checkText, QUERY_FILE, RULE_FILE } from './check-files.js';
import { RULE_TESTS_FILE } from '../rules/readers/index.js';
import { VERSION } from './main.js';

export { checkText } from './check-files.js';

const HELP = `usage: kqlite check [paths...|-] [--schema DIR] [--format text|json|sarif|github]
                    [--disable CODE[,CODE...]] [--workspace DIR] [--no-lint]

Checks .kql/.csl files, Sentinel and Sigma rule .yaml/.yml files and stdin ('-', or no path) for syntax
and semantic errors against the Defender XDR and Windows event table schemas (plus --schema DIR of user
table schemas). A Sigma rule is converted to KQL first; one that cannot run here (its logsource or a field
has no table) is a warning saying why.
Rules are also linted (codes LINT001-LINT040, see docs/LINT.md): time windows against the rule's schedule,
contains/has, case-sensitive == on Defender's case-varying columns, ATT&CK ids, tactics, severity, entity
mappings against the query's output, summarize per event. --disable turns codes off (or 'all'; also per
file with '# kqlite-disable: CODE' and per query with '// kqlite-disable: CODE'); --workspace DIR also turns
off the codes its config.json lists ("lint": {"disable": [...]}, as its rule pages do); --no-lint turns lint off.
--format sarif writes SARIF 2.1.0 (GitHub code scanning), github writes workflow annotations.
Directories are searched recursively. Exit code 0 when there are no errors, 1 otherwise.`;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

function collect(path: string, out: string[]): void {
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(path);
    return;
  }
  for (const n of readdirSync(path).sort()) {
    const f = join(path, n);
    // links inside a folder are not followed: a repository's `leak.kql -> /proc/self/environ` would otherwise
    // be read and its lines shown in the diagnostics (a CI log); a path named on the command line is
    const st = lstatSync(f);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) collect(f, out);
    else if ((QUERY_FILE.test(n) || RULE_FILE.test(n)) && !RULE_TESTS_FILE.test(n)) out.push(f); // rule tests beside rules are not rules
  }
}

/** The diagnostics as a CI report: one failed result per diagnostic, lint codes described for SARIF. */
export function checkReport(all: readonly LocatedDiagnostic[], summary?: string): CiReport {
  const used = new Set(all.map((d) => d.code));
  return {
    command: 'check',
    toolVersion: VERSION,
    ...(summary !== undefined ? { summary } : {}),
    results: all.map((d) => ({
      group: d.file,
      name: lintCode(d.code)?.name ?? d.code,
      status: 'failed' as const,
      level: d.severity === 'info' ? 'note' as const : d.severity,
      code: d.code,
      message: d.message,
      location: { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn },
    })),
    codes: LINT_CODES.filter((c) => used.has(c.code)).map((c) => ({ id: c.code, description: c.summary, helpUri: lintDocsUrl(c.code) })),
  };
}

export async function run(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({ args, allowPositionals: true, options: {
      schema: { type: 'string' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' },
      disable: { type: 'string', multiple: true }, 'no-lint': { type: 'boolean' }, workspace: { type: 'string', short: 'w' },
    } });
  } catch (e) {
    process.stderr.write(`kqlite check: ${(e as Error).message}\n${HELP}\n`);
    return 1;
  }
  if (opts.values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = opts.values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    process.stderr.write(`kqlite check: --format must be ${FORMATS.join(', ')}, not '${format}'\n`);
    return 1;
  }
  const disable = parseDisableOption(opts.values.disable ?? []);
  if (disable.unknown.length) {
    process.stderr.write(`kqlite check: --disable ${disable.unknown.map((c) => `'${c}'`).join(', ')}: not a lint code (${LINT_CODES.map((c) => c.code).join(', ')}, or all)\n`);
    return 1;
  }
  if (opts.values.workspace !== undefined) {
    // the workspace's own lint settings, refused as --disable is when a code is not one (a typo must not silently disable nothing)
    const settings = workspaceLintSettings(opts.values.workspace);
    if (settings.problems.length) {
      process.stderr.write(settings.problems.map((p) => `kqlite check: --workspace ${opts.values.workspace}: ${p}\n`).join(''));
      return 1;
    }
    for (const c of settings.disable) disable.codes.add(c);
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
  const fileOpts = { lint: !opts.values['no-lint'], disable: disable.codes };
  for (const { file, text } of inputs) {
    const diags = checkText(file, text, catalog, fileOpts);
    all.push(...diags);
    if (format === 'text' && diags.length) {
      const map = new LineMap(text.replace(/\r\n?/g, '\n'));
      rendered.push(diags.map((d) => renderLocated(text.replace(/\r\n?/g, '\n'), d, map)).join('\n\n'));
    }
  }
  const errors = all.filter((d) => d.severity === 'error').length;
  const notes = all.filter((d) => d.severity === 'info').length;
  const warnings = all.length - errors - notes;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `checked ${plural(inputs.length, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${notes ? `, ${plural(notes, 'note')}` : ''}`;
  if (format === 'json') {
    process.stdout.write(JSON.stringify(all.map(({ suggestion, ...d }) => (suggestion === undefined ? d : { ...d, suggestion })), null, 2) + '\n');
  } else if (format === 'sarif' || format === 'github') {
    process.stdout.write(writeCiReport(checkReport(all, summary), format));
  } else {
    if (rendered.length) process.stdout.write(rendered.join('\n\n') + '\n\n');
    process.stdout.write(summary + '\n');
  }
  return errors ? 1 : 0;
}
