/**
 * `kqlite test scaffold`: a starter tests file for a rule, in the sibling form (`<rule>.tests.yaml`). Its input
 * rows come either from the rule's query and table schema (each column the query compares with a literal gets
 * a value that satisfies that comparison — `has 'x'` gets "x" inside a longer text, so `has` turned into `==`
 * no longer matches — plus a time inside the rule's window), or, with --from-findings, from the workspace: the
 * events behind the rule's latest findings (same device, report ids and time span). The rule is then run on
 * those rows by the test runner itself and the expectations written are what it did, so the file passes as
 * saved and fails when the rule's behaviour on those rows changes. A second test changes the compared values
 * and expects silence.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type * as Yaml from 'yaml';
import { lazyPackage } from '../../common/lazy-package.js';
import { runQuery } from '../../engine/index.js';
import { rowsAsObjects } from '../../engine/format/encode.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import { Workspace } from '../../ingest/index.js';
import { defaultCatalog, type TableSchema } from '../../kql/semantics/index.js';
import { loadRules, readRuleFile, RULE_FILE, type Rule } from '../../rules/index.js';
import { openFindingsCopy } from '../db.js';
import { listFindings } from '../findings-store.js';
import { getRun } from '../runs.js';
import { runTestSuites } from './run-tests.js';
import { parseYamlFile, readTestsDocument } from './test-file.js';

const yaml = lazyPackage<typeof Yaml>('yaml');

export interface ScaffoldOptions {
  ruleId: string;
  /** Where rule files are looked for (recursively) before the workspace's rules. */
  paths: string[];
  workspace: string;
  fromFindings: boolean;
}

export interface Scaffold {
  yaml: string;
  tests: number;
  ruleName: string;
  ruleFile?: string;
  notes: string[];
}

type Row = Record<string, unknown>;
interface DraftTest { name: string; asOf: string; rows: Record<string, Row[]> }

function findRuleFile(id: string, paths: readonly string[]): { rule: Rule; file: string } | undefined {
  const visit = (p: string, named = false): { rule: Rule; file: string } | undefined => {
    // a path named on the command line is followed; links found inside a folder are not
    const st = named ? statSync(p, { throwIfNoEntry: false }) : lstatSync(p, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return undefined;
    if (st.isDirectory()) {
      for (const n of readdirSync(p).sort()) {
        if (n === 'node_modules' || n === '.git' || /\.tests\.ya?ml$/i.test(n)) continue;
        const hit = visit(join(p, n));
        if (hit) return hit;
      }
      return undefined;
    }
    if (!RULE_FILE.test(p)) return undefined;
    const read = readRuleFile(readFileSync(p, 'utf8'), { path: basename(p), source: { kind: 'import', name: 'kqlite test', path: p } });
    const rule = read.kind === 'rules' ? read.rules.find((r) => r.id === id) : undefined;
    return rule ? { rule, file: p } : undefined;
  };
  for (const p of paths) {
    const hit = visit(p, true);
    if (hit) return hit;
  }
  return undefined;
}

const timeColumn = (s: TableSchema) => (s.columns.some((c) => c.name === 'Timestamp') ? 'Timestamp' : s.columns.some((c) => c.name === 'TimeGenerated') ? 'TimeGenerated' : undefined);

/** A value for `column <op> literal` that satisfies the comparison (and, for the term operators, only it). */
function satisfying(op: string, literal: string): string {
  switch (op.toLowerCase()) {
    case 'has': case 'has_cs': case 'has_any': case 'has_all':
      return /^[\w-]+(\.[\w-]+)+$/.test(literal) ? `agent.${literal}` : `${literal} (scaffold)`;
    case 'contains': case 'contains_cs':
      return `x${literal}x`;
    case 'startswith': case 'startswith_cs':
      return `${literal}.x`;
    case 'endswith': case 'endswith_cs':
      return `x.${literal}`;
    default:
      return literal;
  }
}

const COMPARISON = /\b([A-Za-z_]\w*)\s+(has_cs|has_any|has_all|has|contains_cs|contains|startswith_cs|startswith|endswith_cs|endswith|in~|in|==|=~)\s*(\(([^)]*)\)|'([^']*)'|"([^"]*)")/g;

/** One row per table the rule reads: columns compared with a literal get a satisfying value, plus the time. */
function rowsFromQuery(rule: Rule, when: bigint): Record<string, Row[]> {
  const catalog = defaultCatalog();
  const out: Record<string, Row[]> = {};
  for (const table of rule.tables) {
    const schema = catalog.tables.get(table);
    if (!schema) continue;
    const names = new Set(schema.columns.map((c) => c.name));
    const row: Row = {};
    const time = timeColumn(schema);
    if (time) row[time] = formatDatetime(when);
    for (const m of rule.query.matchAll(COMPARISON)) {
      const [, column, op] = m;
      if (!names.has(column!) || row[column!] !== undefined) continue;
      const literal = m[5] ?? m[6] ?? /'([^']*)'|"([^"]*)"/.exec(m[4] ?? '')?.slice(1).find((x) => x !== undefined);
      if (literal === undefined) continue;
      const type = schema.columns.find((c) => c.name === column)!.type;
      row[column!] = type === 'string' ? satisfying(op!, literal) : literal;
    }
    for (const c of ['DeviceId', 'DeviceName', 'ReportId']) if (names.has(c) && row[c] === undefined) row[c] = c === 'ReportId' ? 1 : c === 'DeviceId' ? 'scaffold-device-1' : 'scaffold-host-1';
    out[table] = [row];
  }
  return out;
}

/** The same rows with every literal-derived value replaced, so the rule should stay quiet. */
function quietRows(rows: Record<string, Row[]>, rule: Rule): Record<string, Row[]> {
  const compared = new Set([...rule.query.matchAll(COMPARISON)].map((m) => m[1]!));
  const out: Record<string, Row[]> = {};
  for (const [t, rs] of Object.entries(rows)) out[t] = rs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, compared.has(k) && typeof v === 'string' ? 'unrelated-value' : v])));
  return out;
}

/** The events behind the rule's latest findings: same device and report ids, within the finding's time span. */
function rowsFromFindings(rule: Rule, dir: string, notes: string[]): DraftTest[] {
  if (!Workspace.exists(dir)) throw new Error(`--from-findings: no workspace at ${dir}`);
  const ws = Workspace.open(dir);
  const db = openFindingsCopy(dir);
  try {
    const findings = listFindings(db, { rule: rule.id }).slice(0, 3);
    if (!findings.length) throw new Error(`--from-findings: the workspace has no findings of rule ${rule.id} (run kqlite hunt --rules ${rule.id} first)`);
    const tests: DraftTest[] = [];
    for (const f of findings) {
      const asOf = getRun(db, f.updatedRun)?.asOf ?? f.lastSeen;
      const rows: Record<string, Row[]> = {};
      for (const table of rule.tables) {
        const schema = ws.schema(table);
        if (!schema) continue;
        const time = timeColumn(schema);
        const has = (c: string) => schema.columns.some((x) => x.name === c);
        const where: string[] = [];
        if (time) where.push(`${time} between (datetime(${f.firstSeen}) .. datetime(${f.lastSeen}))`);
        if (f.device && has('DeviceName')) where.push(`DeviceName == ${JSON.stringify(f.device)}`);
        const ids = f.reportIds.filter((x) => /^-?\d+$/.test(String(x))).slice(0, 50);
        if (ids.length && has('ReportId')) where.push(`ReportId in (${ids.join(', ')})`);
        const r = runQuery(`${table}${where.map((w) => `\n| where ${w}`).join('')}\n| take 20`, { source: ws });
        if (!r.ok || !r.tables[0]) continue;
        // only the cells that hold something: the rest are typed nulls in the test workspace as well
        rows[table] = rowsAsObjects(r.tables[0].table).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0))));
      }
      if (!Object.values(rows).some((r) => r.length)) {
        notes.push(`finding ${f.id}: its events are no longer in the workspace; left out`);
        continue;
      }
      tests.push({ name: `fires on the events of finding ${f.id.slice(0, 12)} (${f.device ?? 'no device'})`, asOf, rows });
    }
    return tests;
  } finally {
    db.close();
  }
}

const testYaml = (t: DraftTest, expect: Record<string, unknown>) => ({ name: t.name, asOf: t.asOf, rows: t.rows, expect });

export async function scaffoldTests(opts: ScaffoldOptions): Promise<Scaffold> {
  const notes: string[] = [];
  const found = findRuleFile(opts.ruleId, opts.paths);
  const rule = found?.rule ?? loadRules(Workspace.exists(opts.workspace) ? opts.workspace : undefined).find((r) => r.id === opts.ruleId);
  if (!rule) throw new Error(`no rule with id ${opts.ruleId} in ${opts.paths.join(', ')} or the workspace's rules (see kqlite rules list)`);
  let drafts: DraftTest[];
  if (opts.fromFindings) drafts = rowsFromFindings(rule, opts.workspace, notes);
  else {
    const now = new Date();
    const asOf = BigInt(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12)) * 10_000n;
    const when = asOf - 3_600n * 10_000_000n;
    const rows = rowsFromQuery(rule, when);
    drafts = [
      { name: 'fires on rows built from the rule\'s own comparisons', asOf: formatDatetime(asOf), rows },
      { name: 'stays quiet when the compared values are unrelated', asOf: formatDatetime(asOf), rows: quietRows(rows, rule) },
    ];
  }
  // run the drafts as they will be saved, and write down what the rule did
  const draftText = new (yaml().Document)({ tests: drafts.map((d) => testYaml(d, { fires: true })) }).toString({ lineWidth: 0 });
  const parsed = parseYamlFile('scaffold.tests.yaml', draftText);
  const tests = readTestsDocument(parsed.docs[0]!, parsed.where, true).tests;
  const outcomes = await runTestSuites([{ testFile: 'scaffold.tests.yaml', rule, tests, problems: [] }]);
  const final = drafts.map((d, i) => {
    const o = outcomes[i]!;
    if (!o.actual) throw new Error(`the starter test '${d.name}' cannot run: ${o.problems.map((p) => p.message).join('; ')}`);
    const a = o.actual;
    if (i === 0 && !a.rows.length) notes.push(`the rule did not fire on the starter rows of '${d.name}': edit them so it does (the test expects silence for now)`);
    const expect: Record<string, unknown> = a.rows.length
      ? { fires: true, rows: a.rows.length, findings: a.findings, columns: a.columns.map((c) => c.name), contains: a.rows.slice(0, 3) }
      : { fires: false, findings: 0 };
    return testYaml(d, expect);
  });
  const doc = new (yaml().Document)(found ? { tests: final } : { rule: rule.id, tests: final });
  const where = found ? `Save as ${basename(found.file).replace(/\.[^.]+$/, '')}.tests.yaml beside ${found.file}` : `The rule ${rule.id} has no file: rule: names it by id`;
  doc.commentBefore = ` Tests of "${rule.name}", scaffolded by kqlite test scaffold${opts.fromFindings ? ' --from-findings' : ''}.\n ${where}; run with kqlite test <folder>.\n Expectations are what the rule returned on these rows: review them before relying on them.`;
  return { yaml: doc.toString({ lineWidth: 0 }), tests: final.length, ruleName: rule.name, ...(found ? { ruleFile: found.file } : {}), notes };
}
