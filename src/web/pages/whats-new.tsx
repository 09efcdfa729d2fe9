/**
 * What's new (/whats-new): per source sync, the rules added, changed (with the diff of query and metadata)
 * and removed upstream, newest first. `?since=` (ISO date) and `?source=` narrow it; both live in the URL.
 */
import type { SyncChange } from '../../server/api.js';
import { api } from '../api-client.js';
import { Link, setQuery, useLocation } from '../router.js';
import { useApi } from '../use-api.js';
import { ErrorBox, Loading, Section } from '../components/ui.js';
import { formatTime, plural } from '../format.js';
import { useTitle } from '../title.js';

export function WhatsNewPage() {
  useTitle("What's new");
  const { query } = useLocation();
  const since = query.get('since') ?? undefined;
  const source = query.get('source') ?? undefined;
  const changes = useApi(() => api.changes({ ...(since ? { since } : {}), ...(source ? { source } : {}) }), [since, source]);
  const shown = changes.data?.changes.filter((c) => c.added.length || c.updated.length || c.removed.length) ?? [];
  return (
    <div class="page whats-new" data-testid="whats-new">
      <div class="page-head">
        <h1>What's new</h1>
        <form class="search" onSubmit={(e) => { e.preventDefault(); const v = (new FormData(e.target as HTMLFormElement).get('since') as string).trim(); setQuery({ since: v || undefined, source }); }}>
          <label for="since">Since</label>{' '}
          <input id="since" name="since" placeholder="2026-06-01" defaultValue={since ?? ''} data-testid="changes-since" />
        </form>
      </div>
      {changes.error && <ErrorBox error={changes.error} retry={changes.reload} />}
      {!changes.data && <Loading what="changes" />}
      {changes.data && shown.length === 0 && <p class="muted" data-testid="no-changes">No rule changed{since ? ` since ${since}` : ''}. Add a source with <code>kqlite sources add</code> and sync it.</p>}
      {shown.map((c, i) => <SyncView key={i} change={c} />)}
    </div>
  );
}

function SyncView({ change: c }: { change: SyncChange }) {
  return (
    <Section title={`${c.source} · ${formatTime(c.at)}`} id={`sync-${c.source}-${c.at}`} testid="sync-change">
      <p class="muted small">
        {c.fromCommit ? `${c.fromCommit.slice(0, 12)} → ` : ''}{c.toCommit.slice(0, 12)}: {plural(c.added.length, 'new rule')}, {c.updated.length} updated, {c.removed.length} removed upstream
        {c.failed > 0 && <>, {plural(c.failed, 'file')} could not be read</>}
      </p>
      {c.added.length > 0 && (
        <ul class="change-list">
          {c.added.slice(0, 200).map((a) => <li key={a.id} data-testid="change-added"><span class="pill pill-ok">new</span> <Link href={`/rules/${encodeURIComponent(a.id)}`}>{a.name}</Link> <span class="muted small mono">{a.path}</span></li>)}
          {c.added.length > 200 && <li class="muted">and {c.added.length - 200} more</li>}
        </ul>
      )}
      {c.updated.map((u) => (
        <div key={u.id} class="change-updated" data-testid="change-updated">
          <p><span class="pill pill-unknown">updated</span> <Link href={`/rules/${encodeURIComponent(u.id)}`}>{u.name}</Link> <span class="muted small">version {u.version}</span> <span class="muted small mono">{u.path}</span></p>
          {u.diff.fields.length > 0 && (
            <table class="grid compact">
              <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
              <tbody>{u.diff.fields.map((f) => <tr key={f.field} data-testid="field-change"><td>{f.field}</td><td class="diff-del">{f.before}</td><td class="diff-add">{f.after}</td></tr>)}</tbody>
            </table>
          )}
          {u.diff.query.length > 0 && (
            <pre class="code diff" data-testid="rule-diff" aria-label={`Query changes of ${u.name}`}>
              {u.diff.query.map((l, k) => <div key={k} class={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : 'diff-same'} data-testid="diff-line" data-op={l.op === ' ' ? 'same' : l.op === '+' ? 'add' : 'del'}>{l.op} {l.text}</div>)}
            </pre>
          )}
        </div>
      ))}
      {c.removed.length > 0 && (
        <ul class="change-list">
          {c.removed.map((r) => <li key={r.id} data-testid="change-removed"><span class="pill pill-bad">removed</span> <Link href={`/rules/${encodeURIComponent(r.id)}`}>{r.name}</Link> <span class="muted small mono">{r.path}</span></li>)}
        </ul>
      )}
    </Section>
  );
}
