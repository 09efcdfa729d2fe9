/**
 * Findings (/findings): filters (status, tool, device, rule, severity, time window) mirrored in the URL,
 * the findings table, and the selected finding's detail (`/findings/<id>`, the address a finding is shared
 * by; the older `?finding=<id>` still opens it): triage, notes, evidence, audit, and the activity timeline
 * of its device or tool. The list comes a page at a time (`page` in the URL): a workspace can hold tens of
 * thousands of findings, and one table of them all took the browser half a minute to draw.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FacetCount } from '../../server/api.js';
import { api, queryString } from '../api-client.js';
import { Link, navigate, useLocation } from '../router.js';
import { useTitle } from '../title.js';
import { useApi } from '../use-api.js';
import { FindingsTable } from '../components/findings-table.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { formatCount, plural, toUtcText } from '../format.js';
import { UtcTimeField } from '../components/utc-time-field.js';
import { FindingDetailPanel } from './finding-detail.js';

const SELECTS = [
  { key: 'status', label: 'Status' },
  { key: 'severity', label: 'Severity' },
  { key: 'tool', label: 'Tool' },
  { key: 'device', label: 'Device' },
  { key: 'rule', label: 'Rule' },
] as const;
const FILTER_KEYS = ['status', 'severity', 'tool', 'device', 'rule', 'since', 'until'] as const;
/** Findings per page of the list. */
export const FINDINGS_PAGE = 100;

/** The address of a finding (with the list's filters kept), or of the list when `id` is undefined. */
export const findingHref = (id: string | undefined, filters: Record<string, string | undefined> = {}) =>
  `/findings${id ? `/${encodeURIComponent(id)}` : ''}${queryString(filters)}`;

export function FindingsPage({ finding }: { finding?: string }) {
  const { query } = useLocation();
  const filters: Record<string, string | undefined> = {};
  for (const k of FILTER_KEYS) filters[k] = query.get(k) ?? undefined;
  const selected = finding ?? query.get('finding') ?? undefined;
  const pageNo = pageNumber(query.get('page'));
  const key = JSON.stringify(filters);
  const list = useApi(() => api.findings({ ...filters, offset: String((pageNo - 1) * FINDINGS_PAGE), limit: String(FINDINGS_PAGE) }), [key, pageNo]);
  useTitle(selected ? `Finding ${selected}` : 'Findings');
  // a changed filter starts again at the first page
  const update = (change: Record<string, string | undefined>) => navigate(findingHref(selected, { ...filters, ...change }), { replace: true });
  const paged = { ...filters, page: pageNo > 1 ? String(pageNo) : undefined };
  const open = (id: string | undefined) => navigate(findingHref(id, paged));
  const setQuery = (f: Record<string, string | undefined>) => navigate(findingHref(undefined, f));

  return (
    <div class="page findings-page">
      <div class="page-head"><h1>Findings</h1></div>
      <form class="filter-bar" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()} data-testid="findings-filters">
        {SELECTS.map(({ key: k, label }) => (
          <FacetSelect key={k} name={k} label={label} value={filters[k]} options={list.data?.facets[k] ?? []} onChange={(v) => update({ [k]: v })} />
        ))}
        <TimeFilter id="f-since" label="From (UTC)" value={filters.since} testid="filter-since" onCommit={(since) => update({ since })} />
        <TimeFilter id="f-until" label="To (UTC)" value={filters.until} testid="filter-until" onCommit={(until) => update({ until })} />
        <button type="button" class="btn" onClick={() => setQuery({})} data-testid="findings-clear">Clear</button>
      </form>
      {selected && <FindingDetailPanel id={selected} onChanged={list.reload} onClose={() => open(undefined)} />}
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data && list.loading && <Loading what="findings" />}
      {list.data && (
        <>
          <p class="result-bar" aria-live="polite" data-testid="findings-count">{countText(list.data.total, list.data.allowed)}</p>
          <div class={list.loading ? 'stale' : ''}>
            <FindingsTable findings={list.data.findings} selected={selected} onOpen={(f) => open(f.id === selected ? undefined : f.id)} caption="Findings" />
          </div>
          <FindingsPager page={pageNo} total={list.data.total} href={(p) => findingHref(selected, { ...filters, page: p > 1 ? String(p) : undefined })} />
        </>
      )}
    </div>
  );
}

/** `?page=` as a page number (1 for anything else). */
function pageNumber(text: string | null): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/** Which findings this page shows, and links to the pages before and after (real links: shareable, keyboard). */
function FindingsPager({ page, total, href }: { page: number; total: number; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(total / FINDINGS_PAGE));
  if (pages === 1 && page === 1) return null;
  const first = (page - 1) * FINDINGS_PAGE + 1;
  const last = Math.min(total, page * FINDINGS_PAGE);
  return (
    <nav class="pager findings-pager" aria-label="Pages of findings" data-testid="findings-pager">
      {page > 1 ? <Link href={href(Math.min(page - 1, pages))} class="btn btn-small" data-testid="findings-prev">← Previous</Link> : <span class="btn btn-small" aria-disabled="true">← Previous</span>}
      <span data-testid="findings-range">{first <= total ? `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}` : `page ${page} is past the last (${pages})`} · page {page} of {formatCount(pages)}</span>
      {page < pages ? <Link href={href(page + 1)} class="btn btn-small" data-testid="findings-next">Next →</Link> : <span class="btn btn-small" aria-disabled="true">Next →</span>}
    </nav>
  );
}

/** The one definition of a count of findings: those no suppression covers; allowed ones are listed, greyed, and counted apart. */
function countText(total: number, allowed: number): string {
  return allowed ? `${plural(total - allowed, 'finding')} · ${formatCount(allowed)} allowed (suppressed)` : plural(total, 'finding');
}

function FacetSelect({ name, label, value, options, onChange }: { name: string; label: string; value: string | undefined; options: FacetCount[]; onChange: (v: string | undefined) => void }) {
  const id = `f-${name}`;
  const withCurrent = value && !options.some((o) => o.value === value) ? [{ value, count: 0 }, ...options] : options;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value ?? ''} data-testid={`filter-${name}`} onChange={(e) => onChange((e.target as HTMLSelectElement).value || undefined)}>
        <option value="">All</option>
        {withCurrent.map((o) => <option key={o.value} value={o.value}>{o.value} ({o.count})</option>)}
      </select>
    </div>
  );
}

/** A time bound held in the URL; the text being typed stays local until it is a valid time and committed. */
function TimeFilter({ id, label, value, testid, onCommit }: { id: string; label: string; value: string | undefined; testid: string; onCommit: (iso: string | undefined) => void }) {
  const [text, setText] = useState(toUtcText(value));
  useEffect(() => setText(toUtcText(value)), [value]);
  return <UtcTimeField id={id} label={label} text={text} onText={setText} onCommit={(iso) => { setText(toUtcText(iso)); if (iso !== value) onCommit(iso); }} testid={testid} />;
}
