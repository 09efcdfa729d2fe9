/**
 * `kqlite hunt [--rules SELECTOR...] [--as-of TIME] [--workspace DIR] [--format table|json|ndjson|csv]
 *  [--html FILE] [--fail-on SEVERITY] [--allow-network]`: runs rules over the workspace and records findings.
 * Exit codes: 0 no new findings (at or above --fail-on), 2 new findings at or above it, 1 error.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { byCodeUnits } from '../common/text-order.js';
import { workspaceWritable } from '../common/workspace-dir.js';
import { csvField } from '../engine/format/encode.js';
import { printableLine } from '../common/printable.js';
// modules, not the barrels: the bundled CLI then leaves out what a hunt never runs (ingest's readers and
// workers, the demo generator, the impact comparison), whose top-level work every hunt paid for
import { openFindingsCopy, openFindingsDb } from '../hunts/db.js';
import { listFindings } from '../hunts/findings-store.js';
import { distinguishingKey } from '../hunts/grouping.js';
import { huntReportHtml } from '../hunts/report-html.js';
import { runHunt, type HuntSummary } from '../hunts/run-hunt.js';
import { selectRules } from '../hunts/select.js';
import { SEVERITIES, type Finding } from '../hunts/types.js';
import { externalDataFor, sourcedExternalDataFor } from '../ingest/external-data.js';
import { Workspace } from '../store/workspace.js';
import { parseDatetimeText } from '../kql/syntax/index.js';
// rules' own modules, not the barrel: the bundled CLI then leaves out the readers, sync and ATT&CK modules
import { workspaceLibrary } from '../rules/sources/library.js';
import { loadRules, readRuleStore } from '../rules/store.js';
import type { RemoteHuntOptions, RemoteSpec } from '../remote/index.js';
import { REMOTE_HELP, REMOTE_OPTIONS, remoteFromFlags } from './remote-options.js';
import { checkFormat, color, guarded, parseCommand, textTable, thousands, UsageError, workspaceDir, refuseInsideWorkspace } from './shared.js';

const HELP = `usage: kqlite hunt [--rules SELECTOR ...] [--as-of TIME] [--workspace DIR] [--format table|json|ndjson|csv]
                   [--html FILE] [--fail-on informational|low|medium|high] [--allow-network]
       kqlite hunt --compare <git-ref|rule-file> [paths...]   (impact analysis of rule changes: --compare --help)

Runs detection rules over the workspace with now() bound to --as-of (default: the latest event in the
workspace) and records findings. SELECTOR: a rule id, a name glob, tool:NAME, technique:T1219, table:NAME,
tag:NAME, severity:LEVEL, language:sigma|kql; --rules takes one or more (--rules A B C, --rules A,B,C, or --rules repeated).
Default: every rule that validates, except the all-tools aggregate rules. Exit code 2 when new findings at or above --fail-on (default: low).
--allow-network lets rules' externaldata fetch http/https URLs (also: "externalData": {"allowNetwork": true}
in the workspace's config.json); without it they use the copies earlier runs kept in the workspace.
With a remote, the rules run there (now() bound to --as-of, default the latest event there or the wall
clock) and the findings land in this workspace as local ones do.
${REMOTE_HELP}`;

const CSV_COLUMNS = ['id', 'ruleId', 'ruleName', 'tool', 'severity', 'status', 'suppressed', 'device', 'user', 'firstSeen', 'lastSeen', 'count'] as const;

function findingJson(f: Finding) {
  return { id: f.id, ruleId: f.ruleId, ruleName: f.ruleName, tool: f.tool ?? null, severity: f.severity, status: f.status, suppressed: f.suppressedBy !== undefined,
    device: f.device ?? null, user: f.user ?? null, firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: f.count, row: f.row };
}

// rule names, devices and users come from rule files and telemetry: formulas neutralised (csvField)
const csvCell = (v: unknown) => csvField(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v), typeof v !== 'number' && typeof v !== 'boolean');

export async function run(args: string[]): Promise<number> {
  // impact analysis is its own mode, with its own options and paths
  if (args.some((a) => a === '--compare' || a.startsWith('--compare='))) return guarded('hunt', async () => (await import('./hunt-compare.js')).runCompare(args));
  return guarded('hunt', async () => {
    const p = parseCommand('hunt', args, {
      rules: { type: 'string', multiple: true, short: 'r' }, 'as-of': { type: 'string' }, workspace: { type: 'string', short: 'w' },
      format: { type: 'string' }, html: { type: 'string' }, 'fail-on': { type: 'string' }, quiet: { type: 'boolean', short: 'q' },
      'allow-network': { type: 'boolean' },
      ...REMOTE_OPTIONS,
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
    const remote = remoteFromFlags(v, dir);
    // a remote hunt keeps its findings in a workspace of its own, made on first use
    if (remote) mkdirSync(dir, { recursive: true });
    if (!existsSync(dir)) throw new Error(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest)`);
    const ws = Workspace.open(dir);
    if (!remote && !ws.tableNames().length) throw new Error(`the workspace ${dir} holds no telemetry: ingest exports (kqlite ingest) or create the demo (kqlite demo) first`);
    const all = loadRules(dir);
    // A stored rule that cannot be read is not run: say so, so a hunt never quietly covers less than it should.
    for (const d of readRuleStore(dir).damaged) process.stderr.write(`kqlite hunt: ${d.file}: cannot use this stored rule, not run: ${d.reason}\n`);
    const selectors = (v.rules ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const { selected, unknown } = selectRules(all, selectors);
    if (unknown.length) throw new UsageError(`no rule matches ${unknown.map((u) => `'${u}'`).join(', ')} (see kqlite rules list)`);
    // aggregate and on-request rules (the all-tools rules, the upstream examples) run when selected
    const rules = selectors.length ? selected : selected.filter((r) => !r.tags.includes('aggregate') && !r.tags.includes('on-request'));
    // the report is part of the run: a path it cannot be written to fails the hunt before it starts, and a
    // write that fails anyway undoes the run (its findings stay new for the next one)
    const html = v.html ? resolve(v.html) : undefined;
    if (html) {
      refuseInsideWorkspace('--html', html, dir);
      checkWritable(html);
    }
    // a read-only workspace is hunted all the same: its findings are reported, not stored
    const readOnly = !workspaceWritable(dir);
    if (readOnly) process.stderr.write(`kqlite hunt: the workspace ${dir} is read-only: the rules run and their findings are reported, but nothing is stored\n`);
    const db = readOnly ? openFindingsCopy(dir) : openFindingsDb(dir);
    const progress = !!process.stderr.isTTY && !v.quiet && format === 'table';
    const onRule = progress ? (r: { name: string }, i: number, n: number) => process.stderr.write(`\r[${i + 1}/${n}] ${r.name.slice(0, 70)}\x1b[K`) : undefined;
    let findings: Finding[] = [];
    const touchedFindings = (s: HuntSummary) => {
      const touched = new Set(s.findingIds);
      return listFindings(db).filter((f) => touched.has(f.id)).sort((a, b) => byCodeUnits(a.ruleId, b.ruleId) || byCodeUnits(a.device ?? '', b.device ?? '') || byCodeUnits(a.id, b.id));
    };
    const beforeCommit = (s: HuntSummary) => {
      findings = touchedFindings(s);
      if (html) writeHtml(html, s, findings);
    };
    let summary: HuntSummary;
    try {
      summary = remote
        ? await huntRemote(remote, { rules, db, ...(asOf !== undefined ? { asOf } : {}), actor: process.env['USER'] ?? 'kqlite', ...(onRule ? { onRule } : {}), beforeCommit })
        : runHunt({ rules, source: ws, db, library: workspaceLibrary(dir), externalData: externalDataFor(dir, { allowNetwork: Boolean(v['allow-network']) }), sourcedExternalData: sourcedExternalDataFor(dir), ...(asOf !== undefined ? { asOf } : {}), actor: process.env['USER'] ?? 'kqlite', onRule, beforeCommit });
    } finally {
      if (progress) process.stderr.write('\r\x1b[K');
      db.close();
    }
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

/** The rules run on a remote engine (src/remote); findings land in this workspace's database as local ones do. */
async function huntRemote(spec: RemoteSpec, o: Omit<RemoteHuntOptions, 'engine'>): Promise<HuntSummary> {
  const { openRemote, runRemoteHunt } = await import('../remote/index.js');
  const engine = openRemote(spec);
  try {
    return await runRemoteHunt({ ...o, engine });
  } finally {
    engine.close();
  }
}

function publicSummary(s: HuntSummary) {
  const { findingIds: _a, newFindingIds: _b, ...rest } = s;
  return { ...rest, rules: s.rules.filter((r) => r.outcome !== 'ran' || r.rows > 0) };
}

/** Fails now, before the hunt runs, when the report could not be written to `file`. */
function checkWritable(file: string): void {
  if (!existsSync(dirname(file))) throw new UsageError(`--html ${file}: no such folder`);
  try {
    writeFileSync(file + '.tmp', '');
    rmSync(file + '.tmp');
  } catch (e) {
    throw new UsageError(`--html ${file}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function writeHtml(file: string, summary: HuntSummary, findings: Finding[]): void {
  try {
    writeFileSync(file + '.tmp', huntReportHtml(summary, findings));
    renameSync(file + '.tmp', file);
  } catch (e) {
    throw new Error(`cannot write the report ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the run was not kept, its findings stay new`);
  }
}

export function printSummary(s: HuntSummary, findings: Finding[]): void {
  const out = process.stdout;
  out.write(`hunt #${s.runId} as of ${s.asOf}${s.remote ? ` on ${s.remote}` : s.asOfSource === 'latest-event' ? ' (the latest event in the workspace; now() is bound to it)' : ''}\n\n`);
  if (findings.length) {
    out.write(textTable(['severity', 'tool', 'device', 'rule', 'what', 'events', 'last seen', 'state'], findings.map((f) => [
      f.severity, f.tool ?? '', f.device ?? '', f.ruleName.replace(/^RMM tool - /, ''),
      distinguishingKey(f.key).map((k) => k.value).join(' '), f.count, f.lastSeen.slice(0, 19) + 'Z',
      f.suppressedBy !== undefined ? `suppressed (#${f.suppressedBy})` : s.newFindingIds.includes(f.id) ? 'new' : f.status,
    ])));
    out.write('\n');
  }
  const skipped = s.rules.filter((r) => r.outcome === 'skipped');
  const reasons = new Map<string, number>();
  for (const r of skipped) reasons.set(r.reason!, (reasons.get(r.reason!) ?? 0) + 1);
  out.write(`rules: ${s.rulesRun} run, ${s.rulesSkipped} skipped, ${s.rulesFailed} failed\n`);
  for (const [reason, n] of reasons) out.write(`  skipped ${n}: ${printableLine(reason)}\n`);
  for (const r of s.rules.filter((r) => r.outcome === 'failed')) out.write(color(31, `  failed: ${printableLine(r.ruleName)}: ${printableLine(r.reason ?? '')}\n`));
  out.write(`scanned ${thousands(s.rowsScanned)} rows in ${s.durationMs} ms (${thousands(s.eventsPerSecond)} events/s)\n`);
  out.write(`findings: ${color(1, `${s.findingsNew} new`)}, ${s.findingsUpdated} updated, ${s.findingsUnchanged} unchanged, ${s.findingsSuppressed} suppressed\n`);
  for (const [tool, c] of Object.entries(s.byTool)) out.write(`  ${printableLine(tool).padEnd(16)} new ${c.new}, updated ${c.updated}, unchanged ${c.unchanged}, suppressed ${c.suppressed}\n`);
  if (Object.keys(s.bySeverity).length) out.write(`by severity: ${Object.entries(s.bySeverity).map(([k, c]) => `${k} ${c.new + c.updated + c.unchanged}`).join(', ')}\n`);
  if (s.topDevices.length) out.write(`top devices: ${s.topDevices.slice(0, 5).map((d) => `${printableLine(d.device)} (${d.findings})`).join(', ')}\n`);
}
