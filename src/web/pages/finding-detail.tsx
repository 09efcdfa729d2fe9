/**
 * One finding: triage (status, assignee), notes, evidence rows, group key, audit trail, and the hourly
 * activity timeline of its device or its tool. Every change is a PATCH the server audits.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FindingDetail, TriageRequest, TriageStatus } from '../../server/api.js';
import { api } from '../api-client.js';
import { Link } from '../router.js';
import { useApi } from '../use-api.js';
import { LineChart, type Series } from '../components/line-chart.js';
import { CopyButton, ErrorBox, Loading, SeverityBadge, TriageBadge } from '../components/ui.js';
import { formatTime, plural } from '../format.js';
import { useCellLabels } from '../components/stack-table.js';
import { ValueView } from '../components/value-view.js';
import { AllowForm } from './allow-form.js';

const STATUSES: TriageStatus[] = ['new', 'investigating', 'benign', 'malicious', 'closed'];

export function FindingDetailPanel({ id, onChanged, onClose }: { id: string; onChanged: () => void; onClose: () => void }) {
  const detail = useApi(() => api.finding(id), [id]);
  const ref = useRef<HTMLElement>(null);
  // the panel opens above the list: focus moves to it (a keyboard user would otherwise be left in the table
  // below, Shift+Tabbing back past every row to reach it)
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [id]);
  return (
    <section ref={ref} tabIndex={-1} class="panel finding-detail" aria-labelledby="finding-title" data-testid="finding-detail" data-finding-id={id}>
      <header class="panel-head">
        <h2 id="finding-title">Finding <Link href={`/findings/${encodeURIComponent(id)}`} class="mono" data-testid="finding-link">{id}</Link></h2>
        <div class="panel-actions">
          <CopyButton text={`${location.origin}/findings/${encodeURIComponent(id)}`} label="Copy link" testid="copy-finding-link" />
          <button type="button" class="btn btn-small" onClick={onClose} data-testid="finding-close">Close</button>
        </div>
      </header>
      <div class="panel-body">
        {detail.error && <ErrorBox error={detail.error} retry={detail.reload} />}
        {/* the previous finding's body is not shown under this one's title while it loads: a click there
            would triage the wrong finding; keyed by id, so drafts (note, assignee) stay with their finding */}
        {detail.data?.id !== id && detail.loading && <Loading what="finding" />}
        {detail.data?.id === id && <DetailBody key={detail.data.id} f={detail.data} changed={() => { detail.reload(); onChanged(); }} />}
      </div>
    </section>
  );
}

function DetailBody({ f, changed }: { f: FindingDetail; changed: () => void }) {
  const [allowing, setAllowing] = useState(false);
  return (
    <>
      <p class="finding-meta">
        <SeverityBadge severity={f.severity} /> <TriageBadge status={f.status} />{' '}
        <Link href={`/rules/${encodeURIComponent(f.ruleId)}`}>{f.ruleName}</Link>
        {f.tool && <> · tool <strong>{f.tool}</strong></>}
        {f.device && <> · device <strong>{f.device}</strong></>}
        {f.user && <> · user <strong>{f.user}</strong></>}
        {f.signer && <> · signer <strong>{f.signer}</strong></>}
        {' '}· {plural(f.count, 'event')} {formatTime(f.firstSeen)} → {formatTime(f.lastSeen)}
        {f.suppressed && <> · <span class="badge badge-neutral">allowed by suppression #{f.suppressedBy}</span></>}
      </p>
      <Suppress f={f} allowing={allowing} setAllowing={setAllowing} changed={changed} />
      {allowing && (
        <AllowForm initial={f.tool ? { tool: f.tool, ...(f.device ? { device: f.device } : {}) } : { tool: f.ruleId, kind: 'rule', ...(f.device ? { device: f.device } : {}) }}
          onCancel={() => setAllowing(false)} onSaved={() => { setAllowing(false); changed(); }} />
      )}
      <div class="detail-grid">
        <Triage f={f} changed={changed} />
        <Notes f={f} changed={changed} />
      </div>
      <Timeline device={f.device} tool={f.tool} />
      <h3 class="sub">Evidence ({plural(f.sample.length, 'sample row')}{f.reportIds.length ? `, ${plural(f.reportIds.length, 'report id')}` : ''})</h3>
      <EvidenceTable rows={f.sample.length ? f.sample : [f.row]} />
      <h3 class="sub">Group key</h3>
      <EvidenceTable rows={[f.key]} testid="finding-key" />
      <details class="audit">
        <summary>Audit trail ({f.audit.length})</summary>
        <ul data-testid="finding-audit">
          {f.audit.map((a, i) => <li key={i}><span class="muted">{formatTime(a.at)}</span> {a.by}: {a.action} <code>{JSON.stringify(a.detail)}</code></li>)}
        </ul>
      </details>
    </>
  );
}

/**
 * Suppress from the finding: "Allow…" opens the scoped allow form with its tool (or rule) and device filled in;
 * an allowed finding offers to revoke the suppression that covers it (which un-allows its whole scope).
 */
function Suppress({ f, allowing, setAllowing, changed }: { f: FindingDetail; allowing: boolean; setAllowing: (on: boolean) => void; changed: () => void }) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const revoke = async () => {
    if (f.suppressedBy === undefined) return;
    if (!window.confirm(`Revoke suppression #${f.suppressedBy}? Every finding it allows becomes open again.`)) return;
    try {
      await api.revoke(f.suppressedBy);
      setError(undefined);
      changed();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <div class="finding-suppress">
      {f.suppressed
        ? <button type="button" class="btn btn-small" onClick={revoke} data-testid="finding-revoke">Revoke suppression #{f.suppressedBy}</button>
        : <button type="button" class="btn btn-small" onClick={() => setAllowing(!allowing)} aria-expanded={allowing} data-testid="finding-allow">
            Allow {f.tool ?? 'this rule'}{f.device ? ' on this device' : ''}…
          </button>}
      {error && <ErrorBox error={error} />}
    </div>
  );
}

/** The last status or assignee change made here, and the request that puts it back. */
interface Undoable { said: string; undo: TriageRequest }

function Triage({ f, changed }: { f: FindingDetail; changed: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [assignee, setAssignee] = useState(f.assignee ?? '');
  const [last, setLast] = useState<Undoable | undefined>(undefined);
  // a misclick on a status (or a wrong name) is put back by Undo: one more audited change, not a deletion
  const patch = async (req: TriageRequest, undoable?: Undoable) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.triage(f.id, req);
      setLast(undoable);
      if (req.assignee !== undefined) setAssignee(req.assignee);
      changed();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="triage" data-testid="triage">
      <h3 class="sub" id="triage-status-label">Status</h3>
      <div class="segmented" role="group" aria-labelledby="triage-status-label">
        {STATUSES.map((s) => (
          <button key={s} type="button" class={`seg triage-${s}`} aria-pressed={f.status === s} disabled={busy}
            onClick={() => f.status !== s && patch({ status: s }, { said: `Status set to ${s} (was ${f.status}).`, undo: { status: f.status } })} data-testid={`set-status-${s}`}>{s}</button>
        ))}
      </div>
      <form class="inline-form" onSubmit={(e) => {
        e.preventDefault();
        const to = assignee.trim();
        patch({ assignee: to }, { said: `${to ? `Assigned to ${to}` : 'Unassigned'} (was ${f.assignee ? f.assignee : 'unassigned'}).`, undo: { assignee: f.assignee ?? '' } });
      }}>
        <label for="assignee">Assignee</label>
        <input id="assignee" value={assignee} onInput={(e) => setAssignee((e.target as HTMLInputElement).value)} placeholder="analyst name" data-testid="assignee-input" />
        <button type="submit" class="btn btn-small" disabled={busy || assignee.trim() === (f.assignee ?? '')} data-testid="assignee-save">Assign</button>
      </form>
      <p class="small triage-done" role="status" data-testid="triage-done">
        {last && <>{last.said}{' '}<button type="button" class="link-btn" disabled={busy} onClick={() => patch(last.undo)} data-testid="triage-undo">Undo</button></>}
      </p>
      {error && <ErrorBox error={error} />}
    </div>
  );
}

function Notes({ f, changed }: { f: FindingDetail; changed: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const add = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) { setError('Write the note first.'); return; }
    setBusy(true);
    try {
      await api.triage(f.id, { note: text.trim() });
      setText('');
      setError(undefined);
      changed();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="notes">
      <h3 class="sub">Notes ({f.notes.length})</h3>
      <ul class="note-list" data-testid="finding-notes">
        {f.notes.map((n, i) => <li key={i}><span class="muted small">{formatTime(n.at)} · {n.by}</span><p>{n.text}</p></li>)}
      </ul>
      <form onSubmit={add} class="note-form">
        <label for="note-text" class="visually-hidden">New note</label>
        <textarea id="note-text" rows={2} value={text} placeholder="Add a note…" aria-invalid={error ? 'true' : undefined}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-testid="note-input" />
        {error && <p class="field-error">{error}</p>}
        <button type="submit" class="btn btn-small" disabled={busy} data-testid="note-add">Add note</button>
      </form>
    </div>
  );
}

function Timeline({ device, tool }: { device?: string; tool?: string }) {
  const [by, setBy] = useState<'device' | 'tool'>(device ? 'device' : 'tool');
  const subject = by === 'device' ? { device } : { tool };
  const tl = useApi(() => api.timeline(subject), [by, device, tool]);
  if (!device && !tool) return null;
  const byName = new Map<string, Series>();
  for (const p of tl.data?.points ?? []) {
    let s = byName.get(p.series);
    if (!s) byName.set(p.series, (s = { name: p.series, points: [] }));
    s.points.push({ x: Date.parse(p.time), y: p.count });
  }
  return (
    <div class="timeline" data-testid="timeline">
      <div class="timeline-head">
        <h3 class="sub">Activity timeline (hourly)</h3>
        <div class="segmented" role="group" aria-label="Timeline subject">
          {device && <button type="button" class="seg" aria-pressed={by === 'device'} onClick={() => setBy('device')} data-testid="timeline-device">device {device}</button>}
          {tool && <button type="button" class="seg" aria-pressed={by === 'tool'} onClick={() => setBy('tool')} data-testid="timeline-tool">tool {tool}</button>}
        </div>
      </div>
      {tl.error && <ErrorBox error={tl.error} retry={tl.reload} />}
      {tl.data && <LineChart series={[...byName.values()]} bin={3_600_000} label={`Hourly activity of ${by} ${by === 'device' ? device : tool}, one line per ${by === 'device' ? 'tool' : 'device'}`} testid="timeline-chart" />}
    </div>
  );
}

/** Result rows with every value shown as a value (ValueView): wrapped, long ones folded, lists as lists. */
function EvidenceTable({ rows, testid = 'evidence' }: { rows: Record<string, unknown>[]; testid?: string }) {
  const ref = useCellLabels<HTMLTableElement>();
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (rows.length === 0 || cols.length === 0) return <p class="muted">None.</p>;
  return (
    <div class="table-wrap evidence-wrap">
      <table class="grid compact evidence stack" data-testid={testid} ref={ref}>
        <thead><tr>{cols.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-testid="evidence-row">
              {cols.map((c) => <td key={c} class={typeof r[c] === 'number' ? 'num' : ''} data-column={c}><ValueView value={r[c]} /></td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
