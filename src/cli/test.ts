/**
 * `kqlite test [paths...] [--format text|json|junit|sarif|tap|github] [--watch] [--no-fuse] [--schema DIR] [--workspace DIR]`:
 * runs the tests kept with rules (a `tests:` list in the rule file or a sibling `<rule>.tests.yaml`), each in a
 * workspace of its own through the hunt code. Exit 1 when any test fails or cannot run.
 * `kqlite test scaffold <rule-id> [paths...] [--from-findings] [--out FILE]`: a starter tests file.
 */
import { writeFileSync } from 'node:fs';
import { ciReport, jsonReport, loadSuite, outcomeText, runTestSuites, summaryText, testFilesIn, textReport, type TestOutcome, type TestSuite } from '../hunts/rule-tests/index.js';
import { defaultCatalog, loadSchemaDir, mergeCatalogs, type Catalog } from '../kql/semantics/index.js';
import { isCiFormat, writeCiReport } from '../rules/ci-formats/index.js';
import { sources } from '../rules/index.js';
import { VERSION } from './main.js';
import { checkFormat, color, guarded, parseCommand, UsageError, workspaceDir, refuseInsideWorkspace } from './shared.js';

const HELP = `usage: kqlite test [paths...] [--format text|json|junit|sarif|tap|github] [--watch] [--no-fuse] [--schema DIR] [--workspace DIR]
       kqlite test scaffold <rule-id> [paths...] [--from-findings] [--out FILE] [--workspace DIR]

Runs the tests kept with detection rules: a 'tests:' list inside a rule file (Sentinel, Defender or Sigma
YAML) or a sibling '<rule>.tests.yaml'. Each test loads its input rows (inline, or NDJSON/CSV/EVTX files
beside it) into a workspace of its own, runs the rule as 'kqlite hunt' does at its asOf, and checks what the
rule returned: fires or not, result rows, findings, columns, rows that must (not) appear. Folders are searched
recursively (default: the current folder). Exit code 1 when any test fails or cannot run.
  --format      text (default), json, junit (JUnit XML), sarif (SARIF 2.1.0), tap (TAP 14),
                github (GitHub Actions annotations at the rule file's line)
  --watch       re-run the tests of rules whose files change, until Ctrl-C
  --no-fuse     run rules without shared scans (results must be the same)
  --schema DIR  table schemas of your own tables (JSON), besides the Defender XDR and Sentinel ones
  --workspace   the stored functions (ASIM parsers, watchlists) of this workspace, for rules that call
                them (its telemetry is not read: every test brings its own rows)

scaffold writes a starter tests file for a rule (found by id in the paths, default the current folder, or
among the workspace's rules): rows built from the rule's query and the table schema, or with --from-findings
real rows behind the rule's findings in the workspace; its expectations are what the rule does on them.
Save it as <rule>.tests.yaml beside the rule file (--out FILE, default: standard output).`;

const FORMATS = ['text', 'json', 'junit', 'sarif', 'tap', 'github'];

function catalogWith(schema: string | undefined): Catalog {
  const base = defaultCatalog();
  if (!schema) return base;
  const loaded = loadSchemaDir(schema);
  for (const p of loaded.problems) process.stderr.write(`${p.file}: ${p.diagnostic.message}\n`);
  return mergeCatalogs(base, loaded.catalog);
}

/** JSON with longs past 2^53 written as their exact digits (JSON.stringify refuses bigints). */
function exactJson(doc: unknown): string {
  const MARK = '\u0000long:';
  return JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v}` : v), 1).replace(/"\\u0000long:(-?\d+)"/g, '$1');
}

function write(format: string, outcomes: TestOutcome[], ms: number): void {
  if (format === 'json') process.stdout.write(exactJson(jsonReport(outcomes, ms)) + '\n');
  else if (isCiFormat(format)) process.stdout.write(writeCiReport(ciReport(outcomes, VERSION), format));
  else process.stdout.write(textReport(outcomes, ms, color));
}

export async function run(args: string[]): Promise<number> {
  if (args[0] === 'scaffold') return guarded('test scaffold', () => scaffold(args.slice(1)));
  return guarded('test', async () => {
    const p = parseCommand('test', args, {
      format: { type: 'string' }, watch: { type: 'boolean' }, 'no-fuse': { type: 'boolean' }, schema: { type: 'string' }, workspace: { type: 'string', short: 'w' },
    }, HELP, ['[paths...]']);
    if (!p) return 0;
    const v = p.values;
    const format = checkFormat(v.format, FORMATS);
    const paths = p.positionals.length ? p.positionals : ['.'];
    const catalog = catalogWith(v.schema);
    // the tests are hermetic: a workspace is read only when named, for the stored functions (ASIM parsers,
    // watchlists) its rules call
    const library = v.workspace !== undefined ? sources.workspaceLibrary(workspaceDir(v.workspace)) : undefined;
    const options = { catalog, fused: !v['no-fuse'], ...(library ? { library } : {}) };
    if (v.watch) {
      if (format !== 'text') throw new UsageError('--watch prints text: leave out --format');
      const { watchTests } = await import('./test-watch.js');
      return watchTests({
        paths,
        run: async (suites: TestSuite[], label: string) => {
          const started = Date.now();
          process.stdout.write(`\n[${new Date().toISOString().slice(11, 19)}] ${label}\n`);
          const outcomes = await runTestSuites(suites, { ...options, onOutcome: (o) => process.stdout.write(outcomeText(o, color) + '\n') });
          process.stdout.write(summaryText(outcomes, Date.now() - started) + '\n');
          return outcomes;
        },
      });
    }
    const { files, missing } = testFilesIn(paths);
    if (missing.length) throw new UsageError(`no tests at ${missing.join(', ')}`);
    if (!files.length) throw new UsageError(`no rule tests under ${paths.join(', ')} (a 'tests:' list in a rule YAML, or <rule>.tests.yaml beside it; kqlite test scaffold <rule-id> writes one)`);
    const started = Date.now();
    const outcomes = await runTestSuites(files.map(loadSuite), options);
    write(format, outcomes, Date.now() - started);
    return outcomes.every((o) => o.status === 'passed') ? 0 : 1;
  });
}

async function scaffold(args: string[]): Promise<number> {
  const p = parseCommand('test scaffold', args, { 'from-findings': { type: 'boolean' }, out: { type: 'string', short: 'o' }, workspace: { type: 'string', short: 'w' } }, HELP, ['<rule-id>', '[paths...]']);
  if (!p) return 0;
  const [id, ...paths] = p.positionals;
  const { scaffoldTests } = await import('../hunts/rule-tests/scaffold.js');
  const text = await scaffoldTests({ ruleId: id!, paths: paths.length ? paths : ['.'], workspace: workspaceDir(p.values.workspace), fromFindings: Boolean(p.values['from-findings']) });
  for (const n of text.notes) process.stderr.write(`kqlite test scaffold: ${n}\n`);
  if (p.values.out) {
    refuseInsideWorkspace('--out', p.values.out, workspaceDir(p.values.workspace));
    writeFileSync(p.values.out, text.yaml);
    process.stderr.write(`kqlite test scaffold: wrote ${p.values.out} (${text.tests} test${text.tests === 1 ? '' : 's'} for ${text.ruleName})\n`);
  } else process.stdout.write(text.yaml);
  return 0;
}
