/**
 * ATT&CK coverage (/coverage): the Enterprise matrix, tactics as columns, each technique shaded by how many
 * valid rules claim it and marked when it has findings. Selecting a technique lists its rules; the
 * Navigator layer downloads as a JSON file.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CoverageResponse, CoverageTechnique } from '../../server/api.js';
import { api } from '../api-client.js';
import { Link, setQuery, useLocation } from '../router.js';
import { useApi } from '../use-api.js';
import { ErrorBox, ExternalLink, Loading, RuleStatusBadge } from '../components/ui.js';
import { formatCount, plural } from '../format.js';
import { useTitle } from '../title.js';

/** Shade steps by valid-rule count: 0, 1, 2-4, 5-19, 20+. */
function level(t: CoverageTechnique): number {
  const n = t.validRules;
  return n === 0 ? 0 : n === 1 ? 1 : n < 5 ? 2 : n < 20 ? 3 : 4;
}

export function CoveragePage() {
  useTitle('ATT&CK coverage');
  const cov = useApi(() => api.coverage(), []);
  const { query } = useLocation();
  const selectedId = query.get('technique') ?? undefined;
  const [coveredOnly, setCoveredOnly] = useState(false);
  const selected = useMemo(() => {
    for (const t of cov.data?.tactics ?? []) for (const tech of t.techniques) if (tech.id === selectedId) return tech;
    return undefined;
  }, [cov.data, selectedId]);

  if (cov.error) return <div class="page"><ErrorBox error={cov.error} retry={cov.reload} /></div>;
  if (!cov.data) return <div class="page"><Loading what="coverage" /></div>;
  const c = cov.data;
  return (
    <div class="page coverage">
      <div class="page-head">
        <h1>ATT&CK coverage</h1>
        <div class="head-actions">
          <label class="checkbox"><input type="checkbox" checked={coveredOnly} onChange={(e) => setCoveredOnly((e.target as HTMLInputElement).checked)} data-testid="covered-only" /> Covered techniques only</label>
          <DownloadLayer />
        </div>
      </div>
      <p class="summary" data-testid="coverage-totals">
        {c.attackVersion}: <strong>{formatCount(c.totals.covered)}</strong> of {formatCount(c.totals.techniques)} techniques covered by a valid rule,
        {' '}<strong>{formatCount(c.totals.withFindings)}</strong> with findings
        {c.totals.rulesWithoutTechniques > 0 && <>; {plural(c.totals.rulesWithoutTechniques, 'rule')} name no technique</>}.
      </p>
      <Legend />
      {selected && <TechniqueRules technique={selected} />}
      <div class="matrix-wrap" tabIndex={0} aria-label="ATT&CK matrix, scroll horizontally">
        <div class="matrix" data-testid="attack-matrix" role="list" style={{ gridTemplateColumns: `repeat(${c.tactics.length}, minmax(6rem, 1fr))` }}>
          {c.tactics.map((tactic) => {
            const techs = coveredOnly ? tactic.techniques.filter((t) => t.rules.length > 0) : tactic.techniques;
            return (
              <div class="tactic-col" role="listitem" key={tactic.id} data-testid="tactic-column" data-tactic={tactic.shortname}>
                <h2 class="tactic-head" title={tactic.id}>{tactic.name}<span class="muted small"> {techs.filter((t) => t.validRules > 0).length}/{tactic.techniques.length}</span></h2>
                <ul>
                  {techs.map((t) => (
                    <li key={t.id}>
                      <button type="button" class={`tech cov-${level(t)}${t.findings > 0 ? ' has-findings' : ''}`} aria-pressed={t.id === selectedId}
                        data-testid="technique-cell" data-technique={t.id} data-covered={String(t.validRules > 0)} data-findings={t.findings}
                        onClick={() => setQuery({ technique: t.id === selectedId ? undefined : t.id }, { replace: true })}
                        title={`${t.id} ${t.name}: ${plural(t.validRules, 'valid rule')}, ${plural(t.findings, 'finding')}`}>
                        <span class="tech-id">{t.id}</span>
                        <span class="tech-name">{t.name}</span>
                        {(t.validRules > 0 || t.findings > 0) && (
                          <span class="tech-meta">
                            {t.validRules > 0 && <span data-testid="technique-rules">{plural(t.validRules, 'rule')}</span>}
                            {t.findings > 0 && <span class="finding-mark" data-testid="finding-mark">● {t.findings}</span>}
                          </span>
                        )}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function Legend() {
  return (
    <ul class="legend" aria-label="Legend">
      <li><span class="swatch cov-0" /> no valid rule</li>
      <li><span class="swatch cov-1" /> 1 rule</li>
      <li><span class="swatch cov-2" /> 2–4</li>
      <li><span class="swatch cov-3" /> 5–19</li>
      <li><span class="swatch cov-4" /> 20+</li>
      <li><span class="finding-mark">●</span> has findings</li>
    </ul>
  );
}

/** Rules listed at a time: T1219 alone had 14,619 at 20,000 rules, and drawing them all took 10 s. */
const RULES_SHOWN = 100;

function TechniqueRules({ technique }: { technique: CoverageTechnique }) {
  const [shown, setShown] = useState(RULES_SHOWN);
  const sorted = useMemo(() => [...technique.rules].sort((a, b) => b.findings - a.findings || a.name.localeCompare(b.name)), [technique]);
  useEffect(() => setShown(RULES_SHOWN), [technique.id]);
  const more = Math.min(RULES_SHOWN, sorted.length - shown);
  return (
    <section class="panel technique-detail" aria-labelledby="tech-title" data-testid="technique-detail">
      <header class="panel-head">
        <h2 id="tech-title">{technique.id} {technique.name}</h2>
        <div class="panel-actions">
          <ExternalLink href={technique.url}>ATT&CK page</ExternalLink>
          <Link href={`/?technique=${encodeURIComponent(technique.id)}`} class="btn btn-small">Open in feed</Link>
          <Link href="/coverage" class="btn btn-small" aria-label="Close technique detail">Close</Link>
        </div>
      </header>
      <div class="panel-body">
        <p class="muted">{plural(technique.rules.length, 'rule')} ({technique.validRules} valid), {plural(technique.findings, 'finding')}.</p>
        {technique.rules.length > 0 && (
          <ul class="rule-list" tabIndex={0} aria-label={`Rules claiming ${technique.id}`}>
            {sorted.slice(0, shown).map((r) => (
              <li key={r.id} data-testid="technique-rule">
                <Link href={`/rules/${encodeURIComponent(r.id)}`}>{r.name}</Link> <RuleStatusBadge status={r.status} />
                {r.findings > 0 && <Link href={`/findings?rule=${encodeURIComponent(r.id)}`} class="findings-count">{plural(r.findings, 'finding')}</Link>}
              </li>
            ))}
          </ul>
        )}
        {more > 0 && (
          <p>
            <button type="button" class="btn btn-small" onClick={() => setShown(shown + RULES_SHOWN)} data-testid="technique-rules-more">
              Show {formatCount(more)} more of {formatCount(sorted.length - shown)}
            </button>{' '}
            <Link href={`/?technique=${encodeURIComponent(technique.id)}`}>or all in the feed, with search and filters</Link>
          </p>
        )}
      </div>
    </section>
  );
}

function DownloadLayer() {
  const [error, setError] = useState<Error | undefined>(undefined);
  const download = async () => {
    try {
      const layer = await api.navigatorLayer();
      const url = URL.createObjectURL(new Blob([JSON.stringify(layer, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'kqlite-navigator-layer.json';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <>
      <button type="button" class="btn" onClick={download} data-testid="download-navigator">Download Navigator layer</button>
      {error && <ErrorBox error={error} />}
    </>
  );
}
