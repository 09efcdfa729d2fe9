/**
 * `kqlite hunt [--rules SELECTOR...] [--as-of TIME] [--workspace DIR] [--format table|json|ndjson|csv]
 *  [--html FILE] [--fail-on SEVERITY]`: runs rules over the workspace and records findings.
 * Exit codes: 0 no new findings (at or above --fail-on), 2 new findings at or above it, 1 error.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SEVERITIES, listFindings, openFindingsDb, runHunt, selectRules, type Finding, type HuntSummary } from '../hunts/index.js';
import { huntReportHtml } from '../hunts/report-html.js';
import { Workspace } from '../ingest/index.js';
import { parseDatetimeText } from '../kql/syntax/index.js';
import { loadRules, readRuleStore } from '../rules/index.js';
import { checkFormat, color, guarded, parseCommand, textTable, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite hunt [--rules SELECTOR ...] [--as-of TIME] [--workspace DIR] [--format table|json|ndjson|csv]
                   [--html FILE] [--fail-on informational|low|medium|high]

Runs detection rules over the workspace with now() bound to --as-of (default: the latest event in the
workspace) and records findings. SELECTOR: a rule id, a name glob, tool:NAME, technique:T1219, table:NAME,
tag:NAME, severity:LEVEL, language:sigma|kql (repeat --rules or separate with commas). Default: every rule that validates,
except the all-tools aggregate rules. Exit code 2 when new findings at or above --fail-on (default: low).`;

const CSV_COLUMNS = ['id', 'ruleId', 'ruleName', 'tool', 'severity', 'status', 'suppressed', 'device', 'user', 'firstSeen', 'lastSeen', 'count'] as const;

function findingJson(f: Finding) {
  return { id: f.id, ruleId: f.ruleId, ruleName: f.ruleName, tool: f.tool ?? null, severity: f.severity, status: f.status, suppressed: f.suppressedBy !== undefined,
    device: f.device ?? null, user: f.user ?? null, firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: f.count, row: f.row };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export async function run(args: string[]): Promise<number> {
  return guarded('hunt', () => {
    const p = parseCommand('hunt', args, {
      rules: { type: 'string', multiple: true, short: 'r' }, 'as-of': { type: 'string' }, workspace: { type: 'string', short: 'w' },
      format: { type: 'string' }, html: { type: 'string' }, 'fail-on': { type: 'string' }, quiet: { type: 'boolean', short: 'q' },
    }, HELP);
    if (!p) return 0;
    const v = p.values;
    const format = checkFormat(v.format, ['table', 'json', 'ndjson', 'csv']);
    const failOn = v['fail-on'] ?? 'low';
    if (!(SEVERITIES as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not '${failOn}'`);
    let asOf: bigint | undefined;
    if (v['as-of'] !== undefined) {
      asOf = parseDatetimeText(v['as-of']);
      if (asOf === undefined) throw new UsageError(`--as-of '${v['as-of']}' is not a datetime (use ISO 8601, e.g. 2026-11-20T00:00:00Z)`);
    }
    const dir = workspaceDir(v.workspace);
    if (!existsSync(dir)) throw new Error(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest)`);
    const ws = Workspace.open(dir);
    if (!ws.tableNames().length) throw new Error(`the workspace ${dir} holds no telemetry: ingest exports (kqlite ingest) or create the demo (kqlite demo) first`);
    const all = loadRules(dir);
    // A stored rule that cannot be read is not run: say so, so a hunt never quietly covers less than it should.
    for (const d of readRuleStore(dir).damaged) process.stderr.write(`kqlite hunt: ${d.file}: cannot use this stored rule, not run: ${d.reason}\n`);
    const selectors = (v.rules ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const { selected, unknown } = selectRules(all, selectors);
    if (unknown.length) throw new UsageError(`no rule matches ${unknown.map((u) => `'${u}'`).join(', ')} (see kqlite rules list)`);
    const rules = selectors.length ? selected : selected.filter((r) => !r.tags.includes('aggregate'));
    const db = (() => {
      try {
        return openFindingsDb(dir);
      } catch (e) {
        throw new Error(`cannot open the findings database in ${dir}: ${(e as Error).message}`);
      }
    })();
    const progress = !!process.stderr.isTTY && !v.quiet && format === 'table';
    const summary = runHunt({ rules, source: ws, db, ...(asOf !== undefined ? { asOf } : {}), actor: process.env['USER'] ?? 'kqlite',
      onRule: progress ? (r, i, n) => process.stderr.write(`\r[${i + 1}/${n}] ${r.name.slice(0, 70)}\x1b[K`) : undefined });
    if (progress) process.stderr.write('\r\x1b[K');
    const touched = new Set(summary.findingIds);
    const findings = listFindings(db).filter((f) => touched.has(f.id)).sort((a, b) => a.ruleId.localeCompare(b.ruleId) || (a.device ?? '').localeCompare(b.device ?? '') || a.id.localeCompare(b.id));
    if (v.html) writeHtml(resolve(v.html), summary, findings);
    db.close();
    if (format === 'json') process.stdout.write(JSON.stringify({ asOf: summary.asOf, summary: publicSummary(summary), findings: findings.map(findingJson) }, null, 1) + '\n');
    else if (format === 'ndjson') process.stdout.write(findings.map((f) => JSON.stringify(findingJson(f)) + '\n').join(''));
    else if (format === 'csv') process.stdout.write([CSV_COLUMNS.join(','), ...findings.map((f) => { const j = findingJson(f) as Record<string, unknown>; return CSV_COLUMNS.map((c) => csvCell(j[c])).join(','); })].join('\n') + '\n');
    else printSummary(summary, findings);
    const rank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
    const newSet = new Set(summary.newFindingIds);
    const alarming = findings.filter((f) => newSet.has(f.id) && f.suppressedBy === undefined && rank(f.severity) >= rank(failOn));
    return alarming.length ? 2 : 0;
  });
}

function publicSummary(s: HuntSummary) {
  const { findingIds: _a, newFindingIds: _b, ...rest } = s;
  return { ...rest, rules: s.rules.filter((r) => r.outcome !== 'ran' || r.rows > 0) };
}

function writeHtml(file: string, summary: HuntSummary, findings: Finding[]): void {
  if (!existsSync(dirname(file))) throw new Error(`cannot write ${file}: no such folder`);
  writeFileSync(file + '.tmp', huntReportHtml(summary, findings));
  renameSync(file + '.tmp', file);
}

export function printSummary(s: HuntSummary, findings: Finding[]): void {
  const out = process.stdout;
  out.write(`hunt #${s.runId} as of ${s.asOf}${s.asOfSource === 'latest-event' ? ' (the latest event in the workspace; now() is bound to it)' : ''}\n\n`);
  if (findings.length) {
    out.write(textTable(['severity', 'tool', 'device', 'rule', 'what', 'events', 'last seen', 'state'], findings.map((f) => [
      f.severity, f.tool ?? '', f.device ?? '', f.ruleName.replace(/^RMM tool - /, ''),
      Object.entries(f.key).filter(([k]) => !/^Device(Id|Name)$/.test(k)).map(([, v]) => String(v)).join(' '), f.count, f.lastSeen.slice(0, 19) + 'Z',
      f.suppressedBy !== undefined ? `suppressed (#${f.suppressedBy})` : s.newFindingIds.includes(f.id) ? 'new' : f.status,
    ])));
    out.write('\n');
  }
  const skipped = s.rules.filter((r) => r.outcome === 'skipped');
  const reasons = new Map<string, number>();
  for (const r of skipped) reasons.set(r.reason!, (reasons.get(r.reason!) ?? 0) + 1);
  out.write(`rules: ${s.rulesRun} run, ${s.rulesSkipped} skipped, ${s.rulesFailed} failed\n`);
  for (const [reason, n] of reasons) out.write(`  skipped ${n}: ${reason}\n`);
  for (const r of s.rules.filter((r) => r.outcome === 'failed')) out.write(color(31, `  failed: ${r.ruleName}: ${r.reason}\n`));
  out.write(`scanned ${s.rowsScanned.toLocaleString('en-US')} rows in ${s.durationMs} ms (${s.eventsPerSecond.toLocaleString('en-US')} events/s)\n`);
  out.write(`findings: ${color(1, `${s.findingsNew} new`)}, ${s.findingsUpdated} updated, ${s.findingsSuppressed} suppressed\n`);
  for (const [tool, c] of Object.entries(s.byTool)) out.write(`  ${tool.padEnd(16)} new ${c.new}, updated ${c.updated}, suppressed ${c.suppressed}\n`);
  if (Object.keys(s.bySeverity).length) out.write(`by severity: ${Object.entries(s.bySeverity).map(([k, c]) => `${k} ${c.new + c.updated}`).join(', ')}\n`);
  if (s.topDevices.length) out.write(`top devices: ${s.topDevices.slice(0, 5).map((d) => `${d.device} (${d.findings})`).join(', ')}\n`);
}
