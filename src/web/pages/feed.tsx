/**
 * The feed (/): every rule as a card, full-text search and facet filters. Filtering and facet counts are
 * done by GET /api/rules; the filter state lives in the URL query string, so every view has a stable URL.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RuleCard, RuleFacet, RuleSort } from '../../server/api.js';
import { api, queryString } from '../api-client.js';
import { entryValue, Link, setEntryValue, setQuery, useLocation, useRestoredScroll } from '../router.js';
import { useApi } from '../use-api.js';
import { FacetGroup } from '../components/facets.js';
import { Badge, ErrorBox, Loading, RuleStatusBadge, SeverityBadge } from '../components/ui.js';
import { formatCount, formatTime, plural } from '../format.js';
import { useTitle } from '../title.js';

const FACET_LABELS: Record<RuleFacet, string> = {
  tactic: 'Tactic', technique: 'Technique', table: 'Table', tool: 'Tool', severity: 'Severity', source: 'Source', status: 'Validation', language: 'Language',
};
/** The API's RULE_FACETS in display order (web may import only types from the API module; the Record type
 *  above makes the compiler insist every facet has a label, and so a place here). */
const RULE_FACETS = Object.keys(FACET_LABELS) as RuleFacet[];
const PAGE = 100;
/** The API's RULE_SORTS with their labels (the first is the default, left out of the URL). */
const SORT_LABELS: Record<RuleSort, string> = { name: 'Name', findings: 'Most findings', severity: 'Severity', updated: 'Recently changed' };

export function FeedPage() {
  useTitle('Detection feed');
  const { query } = useLocation();
  const filters: Record<string, string | undefined> = { q: query.get('q') ?? undefined, sort: query.get('sort') ?? undefined };
  for (const f of RULE_FACETS) filters[f] = query.get(f) ?? undefined;
  const sort = (filters.sort && filters.sort in SORT_LABELS ? filters.sort : 'name') as RuleSort;
  const key = JSON.stringify(filters);
  // how many cards are drawn ("Show more") is kept in the history entry: Back from a rule returns to the same list, scrolled as it was
  const [shown, setShown] = useState(() => entryValue<number>('feedShown') ?? PAGE);
  // the server pages the cards (a feed may hold tens of thousands); facets and the total count every match
  const rules = useApi(() => api.rules({ ...filters, limit: String(shown) }), [key, shown]);
  // narrow windows only (CSS): the facets fold away behind a button so the rules come first
  const [filtersOpen, setFiltersOpen] = useState(false);
  const firstKey = useRef(key);
  useEffect(() => {
    if (key !== firstKey.current) { firstKey.current = key; setShown(PAGE); }
  }, [key]);
  useEffect(() => setEntryValue('feedShown', shown), [shown]);
  useRestoredScroll(!!rules.data && !rules.loading && rules.data.rules.length >= Math.min(shown, rules.data.total));

  const update = (change: Record<string, string | undefined>, replace = false) => setQuery({ ...filters, ...change }, { replace });
  const active = RULE_FACETS.filter((f) => filters[f]);

  return (
    <div class="page feed">
      <div class="page-head">
        <h1>Detection feed</h1>
        <SearchBox value={filters.q ?? ''} onChange={(q) => update({ q }, true)} />
        <button type="button" class="btn filters-toggle" aria-expanded={filtersOpen} aria-controls="feed-filters"
          onClick={() => setFiltersOpen(!filtersOpen)} data-testid="filters-toggle">
          Filters{active.length > 0 ? ` (${active.length})` : ''} <span aria-hidden="true">{filtersOpen ? '▴' : '▾'}</span>
        </button>
      </div>
      <div class="with-sidebar">
        <aside id="feed-filters" class={`sidebar${filtersOpen ? '' : ' folded'}`} aria-label="Filters" data-testid="feed-filters">
          {rules.data && RULE_FACETS.map((f) => (
            <FacetGroup key={f} name={f} label={FACET_LABELS[f]} values={rules.data!.facets[f] ?? []} selected={filters[f]}
              onSelect={(v) => update({ [f]: v })} initiallyShown={f === 'severity' || f === 'status' ? 10 : 8} />
          ))}
        </aside>
        <div class="content">
          <div class="result-bar" aria-live="polite">
            <span data-testid="rule-count">{rules.data ? `${plural(rules.data.total, 'rule')}` : ''}</span>
            {active.map((f) => (
              <button key={f} type="button" class="chip" onClick={() => update({ [f]: undefined })} aria-label={`Remove filter ${FACET_LABELS[f]} ${filters[f]}`}>
                {FACET_LABELS[f]}: {filters[f]} <span aria-hidden="true">×</span>
              </button>
            ))}
            {(active.length > 0 || filters.q) && (
              <button type="button" class="link-btn" onClick={() => setQuery({ sort: filters.sort })} data-testid="clear-filters">Clear all</button>
            )}
            <label class="sort-by">Sort by{' '}
              <select value={sort} onChange={(e) => update({ sort: (e.target as HTMLSelectElement).value === 'name' ? undefined : (e.target as HTMLSelectElement).value })} data-testid="feed-sort">
                {(Object.keys(SORT_LABELS) as RuleSort[]).map((s) => <option key={s} value={s}>{SORT_LABELS[s]}</option>)}
              </select>
            </label>
          </div>
          {rules.error && <ErrorBox error={rules.error} retry={rules.reload} />}
          {!rules.data && rules.loading && <Loading what="rules" />}
          {rules.data && (
            <>
              <ul class={`cards${rules.loading ? ' stale' : ''}`} data-testid="rule-list">
                {rules.data.rules.map((r) => <RuleCardView key={r.id} rule={r} showUpdated={sort === 'updated'} />)}
              </ul>
              {rules.data.rules.length === 0 && <p class="muted">No rule matches these filters.</p>}
              {rules.data.total > shown && (
                <button type="button" class="btn" onClick={() => setShown(shown + PAGE)} data-testid="show-more">
                  Show {formatCount(Math.min(PAGE, rules.data.total - shown))} more of {formatCount(rules.data.total - shown)}
                </button>
              )}
              <p class="muted small feed-links">Subscribe to this view:{' '}
                <a href={`/feed.atom${queryString(filters)}`} data-testid="feed-atom">Atom</a> ·{' '}
                <a href={`/feed.json${queryString(filters)}`} data-testid="feed-json">JSON Feed</a>
              </p>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function SearchBox({ value, onChange }: { value: string; onChange: (v: string | undefined) => void }) {
  const [text, setText] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => setText(value), [value]);
  const onInput = (v: string) => {
    setText(v);
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => onChange(v.trim() || undefined), 250);
  };
  return (
    <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); clearTimeout(timer.current); onChange(text.trim() || undefined); }}>
      <label for="feed-search" class="visually-hidden">Search rules</label>
      <input id="feed-search" type="search" placeholder="Search rules: name, tool, table, technique, query text…" value={text}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)} data-testid="feed-search" />
    </form>
  );
}

export function RuleCardView({ rule, showUpdated = false }: { rule: RuleCard; showUpdated?: boolean }) {
  return (
    <li class={`card sev-edge-${rule.severity}`} data-testid="rule-card" data-rule-id={rule.id}>
      <div class="card-title">
        <Link href={`/rules/${encodeURIComponent(rule.id)}`} data-testid="rule-link">{rule.name}</Link>
        {rule.findings > 0 && (
          <Link href={`/findings?rule=${encodeURIComponent(rule.id)}`} class="findings-count" data-testid="rule-findings"
            aria-label={`${plural(rule.findings, 'finding')} for this rule`}>{plural(rule.findings, 'finding')}</Link>
        )}
      </div>
      <p class="card-desc">{rule.description}</p>
      <div class="badges">
        <Badge kind="lang">{rule.language}</Badge>
        <SeverityBadge severity={rule.severity} derived={rule.severityDerived} />
        {rule.notRunnable !== undefined ? <Badge kind="neutral" testid="not-runnable" title={rule.notRunnable}>not runnable here</Badge> : <RuleStatusBadge status={rule.status} />}
        <Badge kind="source" title={`Source (${rule.sourceKind})`}>{rule.source}</Badge>
        {rule.kind === 'analytic' && <Badge kind="neutral">analytic</Badge>}
        {rule.techniques.map((t) => <Badge key={t} kind="technique" testid="technique">{t}</Badge>)}
        {rule.tables.map((t) => <Badge key={t} kind="table">{t}</Badge>)}
        {rule.tool && <Badge kind="tool">{rule.tool}</Badge>}
        {rule.tags.filter((t) => t !== rule.tool).map((t) => <Badge key={t} kind="tag">{t}</Badge>)}
        {showUpdated && rule.updated && <span class="muted small" data-testid="rule-updated">changed {formatTime(rule.updated).slice(0, 10)}</span>}
      </div>
    </li>
  );
}
