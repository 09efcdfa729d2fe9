/**
 * RMM inventory (/inventory): every tool seen on every device, its state (sanctioned, observed, unwanted)
 * and second-tool flags; a tool can be allowed in a scope from here (a suppression, reason required) and
 * suppressions can be revoked (kept and audited by the server).
 */
import { useState } from 'preact/hooks';
import type { InventoryEntry, InventoryState, Suppression } from '../../server/api.js';
import { api } from '../api-client.js';
import { Link, setQuery, useLocation } from '../router.js';
import { useApi } from '../use-api.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { formatCount, formatTime, plural } from '../format.js';
import { AllowForm } from './allow-form.js';
import { useTitle } from '../title.js';
import { useCellLabels } from '../components/stack-table.js';

const STATES: InventoryState[] = ['unwanted', 'observed', 'sanctioned'];

export function InventoryPage() {
  useTitle('RMM inventory');
  const inv = useApi(() => api.inventory(), []);
  const { query } = useLocation();
  const state = query.get('state') ?? undefined;
  const [allowing, setAllowing] = useState<{ tool: string; device?: string } | undefined>(undefined);
  if (inv.error) return <div class="page"><ErrorBox error={inv.error} retry={inv.reload} /></div>;
  if (!inv.data) return <div class="page"><Loading what="inventory" /></div>;
  const entries = inv.data.entries.filter((e) => !state || e.state === state);
  const counts = new Map(STATES.map((s) => [s, inv.data!.entries.filter((e) => e.state === s).length]));
  const tools = new Set(inv.data.entries.map((e) => e.tool));
  const devices = new Set(inv.data.entries.map((e) => e.device));
  return (
    <div class="page inventory">
      <div class="page-head">
        <h1>RMM inventory</h1>
        <button type="button" class="btn btn-primary" onClick={() => setAllowing({ tool: '' })} data-testid="allow-new">Allow a tool…</button>
      </div>
      <p class="summary">{plural(tools.size, 'tool')} on {plural(devices.size, 'device')}.</p>
      <div class="segmented" role="group" aria-label="Filter by state">
        <button type="button" class="seg" aria-pressed={!state} onClick={() => setQuery({})}>all {inv.data.entries.length}</button>
        {STATES.map((s) => (
          <button key={s} type="button" class="seg" aria-pressed={state === s} onClick={() => setQuery({ state: s })} data-testid={`inventory-state-${s}`}>{s} {counts.get(s)}</button>
        ))}
      </div>
      {allowing && (
        <AllowForm initial={allowing} onCancel={() => setAllowing(undefined)} onSaved={() => { setAllowing(undefined); inv.reload(); }} />
      )}
      <InventoryTable entries={entries} onAllow={(e) => setAllowing({ tool: e.tool, device: e.device })} />
      <h2 class="section-title">Suppressions</h2>
      <SuppressionsTable suppressions={inv.data.suppressions} onChanged={inv.reload} />
    </div>
  );
}

function InventoryTable({ entries, onAllow }: { entries: InventoryEntry[]; onAllow: (e: InventoryEntry) => void }) {
  const ref = useCellLabels<HTMLTableElement>();
  if (entries.length === 0) return <p class="muted">No RMM tool seen.</p>;
  return (
    <div class="table-wrap">
      <table class="grid stack" data-testid="inventory-table" ref={ref}>
        <caption class="visually-hidden">RMM tools per device</caption>
        <thead>
          <tr>
            <th scope="col">Tool</th><th scope="col">Device</th><th scope="col">State</th><th scope="col">Users</th>
            <th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col" class="num">Findings</th><th scope="col">Rules</th><th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.tool}|${e.device}`} data-testid="inventory-row" data-tool={e.tool} data-device={e.device} data-state={e.state}>
              <td><strong>{e.tool}</strong></td>
              <td>{e.device}</td>
              <td>
                <span class={`badge inv-${e.state}`}>{e.state}</span>
                {e.secondTool && (
                  <span class="badge inv-second" data-testid="second-tool" title={`Not sanctioned here, but ${e.secondTool.sanctioned.join(', ')} is: a second remote-access tool on a managed device`}>
                    second tool (sanctioned: {e.secondTool.sanctioned.join(', ')})
                  </span>
                )}
              </td>
              <td class="wrap">{e.users.join(', ')}</td>
              <td class="nowrap">{formatTime(e.firstSeen)}</td>
              <td class="nowrap">{formatTime(e.lastSeen)}</td>
              <td class="num"><Link href={`/findings?tool=${encodeURIComponent(e.tool)}&device=${encodeURIComponent(e.device)}`} aria-label={`${plural(e.findings, 'finding')} of ${e.tool} on ${e.device}`}>{formatCount(e.findings)}</Link></td>
              <td>{e.rules.length}</td>
              <td>
                {e.state !== 'sanctioned' && (
                  <button type="button" class="btn btn-small" onClick={() => onAllow(e)} data-testid="allow-tool" aria-label={`Allow ${e.tool} on ${e.device}`}>Allow…</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function scopeOf(s: Suppression): string {
  const parts = [s.device && `device ${s.device}`, s.user && `user ${s.user}`, s.signer && `signer ${s.signer}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'everywhere';
}

function SuppressionsTable({ suppressions, onChanged }: { suppressions: Suppression[]; onChanged: () => void }) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const ref = useCellLabels<HTMLTableElement>();
  const revoke = async (s: Suppression) => {
    if (!window.confirm(`Revoke suppression #${s.id} (${s.target}, ${scopeOf(s)})? Its findings become visible again.`)) return;
    try {
      await api.revoke(s.id);
      setError(undefined);
      onChanged();
    } catch (e) {
      setError(e as Error);
    }
  };
  if (suppressions.length === 0) return <p class="muted" data-testid="suppressions-empty">No suppressions: nothing is allowed yet.</p>;
  return (
    <>
      {error && <ErrorBox error={error} />}
      <div class="table-wrap">
        <table class="grid stack" data-testid="suppressions-table" ref={ref}>
          <caption class="visually-hidden">Suppressions</caption>
          <thead>
            <tr><th scope="col">#</th><th scope="col">Allowed</th><th scope="col">Scope</th><th scope="col">Reason</th><th scope="col">Expires</th><th scope="col">Created</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {suppressions.map((s) => (
              <tr key={s.id} data-testid="suppression-row" data-active={String(s.active)} class={s.active ? '' : 'suppressed'}>
                <td class="num">{s.id}</td>
                <td>{s.targetKind} <strong>{s.target}</strong></td>
                <td>{scopeOf(s)}</td>
                <td class="wrap">{s.reason}</td>
                <td class="nowrap">{s.expires ? formatTime(s.expires) : 'never'}</td>
                <td class="nowrap">{formatTime(s.createdAt)} · {s.createdBy}</td>
                <td>{s.active ? <span class="pill pill-ok">active</span> : <span class="pill pill-unknown">{s.revokedAt ? `revoked ${formatTime(s.revokedAt)}` : 'expired'}</span>}</td>
                <td>{s.active && <button type="button" class="btn btn-small btn-danger" onClick={() => revoke(s)} data-testid="revoke" aria-label={`Revoke suppression ${s.id}`}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
