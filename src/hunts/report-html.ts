/**
 * The `--html` hunt report: one self-contained file (inline CSS, no scripts, no external requests) with the
 * summary and the findings grouped by tool and device, each with its rule, evidence rows and a timeline.
 */
import type { HuntSummary } from './run-hunt.js';
import type { Finding } from './types.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const cell = (v: unknown) => esc(v !== null && typeof v === 'object' ? JSON.stringify(v) : v);

function timeline(f: Finding, from: number, to: number): string {
  const span = Math.max(1, to - from);
  const a = ((Date.parse(f.firstSeen) - from) / span) * 100;
  const b = ((Date.parse(f.lastSeen) - from) / span) * 100;
  return `<div class="tl" title="${esc(f.firstSeen)} .. ${esc(f.lastSeen)}"><span style="left:${a.toFixed(1)}%;width:${Math.max(0.8, b - a).toFixed(1)}%"></span></div>`;
}

function evidence(f: Finding): string {
  const rows = f.sample.slice(0, 10);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `<table class="ev"><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function huntReportHtml(s: HuntSummary, findings: readonly Finding[]): string {
  const times = findings.flatMap((f) => [Date.parse(f.firstSeen), Date.parse(f.lastSeen)]).filter((t) => !Number.isNaN(t));
  const from = times.length ? Math.min(...times) : 0, to = times.length ? Math.max(...times) : 1;
  const byTool = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    const t = f.tool ?? '(no tool)';
    const d = f.device ?? '(no device)';
    const m = byTool.get(t) ?? byTool.set(t, new Map()).get(t)!;
    (m.get(d) ?? m.set(d, []).get(d)!).push(f);
  }
  const sections = [...byTool].sort((a, b) => a[0].localeCompare(b[0])).map(([tool, devices]) => `<section><h2>${esc(tool)}</h2>${[...devices].sort((a, b) => a[0].localeCompare(b[0])).map(([device, fs]) => `
<h3>${esc(device)}</h3>${fs.map((f) => `<details${f.suppressedBy === undefined ? ' open' : ''}><summary><b class="sev ${esc(f.severity)}">${esc(f.severity)}</b> ${esc(f.ruleName)} · ${f.count} events · ${esc(f.firstSeen)} → ${esc(f.lastSeen)}${f.suppressedBy !== undefined ? ' · <i>suppressed</i>' : ''} · ${esc(f.status)}</summary>${timeline(f, from, to)}<p>Rule <code>${esc(f.ruleId)}</code>, finding <code>${esc(f.id)}</code>${f.user ? `, user ${esc(f.user)}` : ''}. Report ids: ${esc(f.reportIds.slice(0, 20).join(', '))}${f.reportIds.length > 20 ? ' …' : ''}</p>${evidence(f)}</details>`).join('')}`).join('')}</section>`).join('\n');
  // every value is escaped; the policy is a second wall: the report is read from disk or a mail attachment and
  // holds telemetry (device names, command lines) that an attacker chose, so it may run no script at all
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"><title>kqlite hunt #${s.runId}</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1b1f24}h1{font-size:1.5rem}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top}
.ev{display:block;overflow-x:auto;max-width:100%}.tl{position:relative;height:8px;background:#eef1f4;margin:6px 0;border-radius:4px}.tl span{position:absolute;top:0;height:8px;background:#cf222e;border-radius:4px}
.sev{padding:0 6px;border-radius:8px;background:#ddd}.sev.high{background:#ffc1c0}.sev.medium{background:#ffe2a8}.sev.low{background:#d8f0d8}details{margin:.4rem 0 .8rem}summary{cursor:pointer}
</style></head><body><h1>kqlite hunt #${s.runId}</h1>
<p>As of <b>${esc(s.asOf)}</b>${s.asOfSource === 'latest-event' ? ' (the latest event in the workspace)' : ''}. Rules: ${s.rulesRun} run, ${s.rulesSkipped} skipped, ${s.rulesFailed} failed.
Scanned ${s.rowsScanned} rows in ${s.durationMs} ms. Findings: <b>${s.findingsNew} new</b>, ${s.findingsUpdated} updated, ${s.findingsUnchanged} unchanged, ${s.findingsSuppressed} suppressed.</p>
<table><thead><tr><th>tool</th><th>new</th><th>updated</th><th>suppressed</th></tr></thead><tbody>${Object.entries(s.byTool).map(([t, c]) => `<tr><td>${esc(t)}</td><td>${c.new}</td><td>${c.updated}</td><td>${c.suppressed}</td></tr>`).join('')}</tbody></table>
${sections || '<p>No findings.</p>'}
</body></html>
`;
}
