/**
 * A rule's page (/rules/<id>): header with badges and provenance, the feed's sections, validation
 * diagnostics, lint findings (rule-lint.tsx), a "Run hunt" button for this rule alone, and the rule's findings.
 */
import { useState } from 'preact/hooks';
import type { HuntResponse, RuleDetail } from '../../server/api.js';
import { api } from '../api-client.js';
import { getToken } from '../token.js';
import { Link } from '../router.js';
import { useApi } from '../use-api.js';
import { useStatus } from '../status-context.js';
import { useTitle } from '../title.js';
import { RunSummary } from './runs.js';
import { FindingsTable } from '../components/findings-table.js';
import { Badge, ErrorBox, Loading, RuleStatusBadge, Section, SeverityBadge } from '../components/ui.js';
import { formatTime, plural, renderedWithText } from '../format.js';
import {
  AttackSection, DataSourcesSection, DefinitionSection, FalsePositivesSection, HypothesisSection, QuerySection,
  AttributionSection, OriginsSection, ReferencesSection, overallConfidence,
} from './rule-sections.js';
import { LintSection } from './rule-lint.js';

export function RulePage({ id }: { id: string }) {
  const rule = useApi(() => api.rule(id), [id]);
  useTitle(rule.data?.name ?? (rule.error ? 'Rule not found' : `Rule ${id}`));
  if (rule.error) return <div class="page"><RuleNav /><ErrorBox error={rule.error} retry={rule.reload} /></div>;
  if (!rule.data) return <div class="page"><RuleNav /><Loading what="rule" /></div>;
  return <RuleView rule={rule.data} reload={rule.reload} />;
}

function RuleNav() {
  return (
    <nav class="crumbs" aria-label="Rule navigation">
      <Link href="/" data-testid="back-to-feed">← Back to SOC feed</Link>
      <Link href="/coverage" data-testid="to-coverage">Coverage →</Link>
    </nav>
  );
}

function RuleView({ rule, reload }: { rule: RuleDetail; reload: () => void }) {
  const p = rule.provenance;
  return (
    <div class="page rule-page" data-testid="rule-page" data-rule-id={rule.id}>
      <RuleNav />
      <header class="rule-head">
        <h1 data-testid="rule-name">{rule.name}</h1>
        <div class="badges">
          <Badge kind="lang">{rule.language}</Badge>
          <SeverityBadge severity={rule.severity} derived={rule.severityDerived} />
          {rule.notRunnable !== undefined ? <Badge kind="neutral" testid="not-runnable">not runnable here</Badge> : <RuleStatusBadge status={rule.status} />}
          <Badge kind="source">{rule.source}</Badge>
          <Badge kind="neutral">{rule.kind}</Badge>
          {rule.techniques.map((t) => <Badge key={t} kind="technique" testid="technique">{t}</Badge>)}
          {rule.tables.map((t) => <Badge key={t} kind="table">{t}</Badge>)}
          {rule.tool && <Badge kind="tool">{rule.tool}</Badge>}
          {rule.tags.filter((t) => t !== rule.tool).map((t) => <Badge key={t} kind="tag">{t}</Badge>)}
        </div>
        <p class="muted small">{rule.description}</p>
        {rule.notRunnable !== undefined && <p class="note" data-testid="not-runnable-reason" role="note"><strong>Not runnable here:</strong> {rule.notRunnable}. The rule stays in the feed; kqlite has no table for what it reads.</p>}
        {p.removedAt && (
          <p class="note" role="status" data-testid="removed-upstream">Removed from {p.name} at {formatTime(p.removedAt)}: this is its last version; it no longer runs, and its findings are kept.</p>
        )}
        {p.kind === 'git' || (p.kind === 'builtin' && p.webUrl) ? (
          <p class="disclaimer small">This rule was pulled from an open-source repository ({p.name}{p.path ? `, ${p.path}` : ''}{p.commit ? ` at ${p.commit.slice(0, 12)}` : ''}) and enriched from catalog facts. Validate in a test environment before deploying to production.</p>
        ) : p.kind === 'import' ? (
          <p class="disclaimer small">Imported from {p.name}{p.path ? ` (${p.path})` : ''}{p.commit ? ` at ${p.commit.slice(0, 12)}` : ''}; enrichment is generated from catalog facts. Validate in a test environment before deploying.</p>
        ) : (
          <p class="disclaimer small">Built-in rule generated from {p.generatedFrom?.join(', ') ?? p.name}; enrichment is generated from catalog facts. Validate in a test environment before deploying.</p>
        )}
        <p class="provenance-line" data-testid="provenance">
          {p.webUrl ? (
            <a href={p.webUrl} target="_blank" rel="noopener noreferrer" data-testid="original-upstream" title={p.path ?? p.webUrl}>View original rule at {p.name} →</a>
          ) : <OriginalFileLink rule={rule} />}
          {' '}Retrieved: {p.retrieved ? <time dateTime={p.retrieved}>{p.retrieved}</time> : 'unknown'} · Confidence: <span class={`conf conf-${overallConfidence(rule)}`}>{overallConfidence(rule)}</span>
          {p.license && <> · License: {p.license}</>} · Version {rule.version}
        </p>
      </header>
      {rule.notRunnable === undefined && <HuntPanel rule={rule} onDone={reload} />}
      <AttributionSection rule={rule} />
      {rule.diagnostics.length > 0 && (
        <Section title="Validation" id="validation" testid="rule-diagnostics">
          <ul class="diagnostics">
            {rule.diagnostics.map((d, i) => (
              <li key={i} class={`diag diag-${d.severity}`} data-testid="diagnostic">
                <span class="diag-sev">{d.severity}</span> <span class="mono">{d.code}</span> {d.field ? <><span class="mono">{d.field}:</span> </> : null}line {d.line}, col {d.column}: {d.message}
                {d.suggestion && !d.message.includes(d.suggestion) && <span class="muted"> (did you mean {d.suggestion}?)</span>}
                {renderedWithText(d.rendered) && <pre class="code small-code" data-testid="diagnostic-excerpt">{d.rendered}</pre>}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <LintSection rule={rule} />
      <HypothesisSection rule={rule} />
      <QuerySection rule={rule} />
      <DefinitionSection rule={rule} />
      <DataSourcesSection rule={rule} />
      <AttackSection rule={rule} />
      <ReferencesSection rule={rule} />
      <FalsePositivesSection rule={rule} />
      <OriginsSection rule={rule} />
      <Section title="Findings" id="rule-findings" actions={<Link href={`/findings?rule=${encodeURIComponent(rule.id)}`} class="btn btn-small">All findings for this rule</Link>}>
        <FindingsTable findings={rule.recentFindings} showRule={false} testid="rule-findings-table" caption="Recent findings of this rule" />
      </Section>
      {p.webUrl && (
        <footer class="rule-footer small" data-testid="original-source">
          Original source: <a href={p.webUrl} target="_blank" rel="noopener noreferrer">{readableUrl(p.webUrl)}</a>
        </footer>
      )}
    </div>
  );
}

/** A link's text as people read it (the seed shows "Hunting Queries/..." with spaces, not %20). */
function readableUrl(url: string): string {
  try { return decodeURI(url); } catch { return url; }
}

/** The original file, served by the API; fetched with the token when one is in use (a plain link cannot send it). */
function OriginalFileLink({ rule }: { rule: RuleDetail }) {
  const open = async (e: MouseEvent) => {
    const token = getToken();
    if (!token) return;
    e.preventDefault();
    const res = await fetch(rule.fileUrl, { headers: { Authorization: `Bearer ${token}` } });
    const blob = new Blob([await res.text()], { type: 'text/plain;charset=utf-8' });
    window.open(URL.createObjectURL(blob), '_blank', 'noopener');
  };
  const where = rule.provenance.upstream?.file ?? rule.provenance.path ?? rule.provenance.name;
  // no upstream web address: kqlite's own copy of the file (as read at import, or as generated)
  const label = rule.provenance.kind === 'builtin' ? 'View rule definition →' : 'View the rule file as imported →';
  return <a href={rule.fileUrl} target="_blank" rel="noopener" onClick={open} data-testid="original-file" title={where}>{label}</a>;
}

function HuntPanel({ rule, onDone }: { rule: RuleDetail; onDone: () => void }) {
  const { refresh } = useStatus();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<HuntResponse | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setResult(await api.hunt({ rules: [rule.id] }));
      onDone();
      refresh();
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };
  const outcome = result?.rules.find((r) => r.ruleId === rule.id) ?? result?.rules[0];
  return (
    <div class="hunt-panel" data-testid="hunt-panel">
      <button type="button" class="btn btn-primary" onClick={run} disabled={running} data-testid="run-hunt" aria-describedby="hunt-help">
        {running ? 'Running…' : 'Run hunt'}
      </button>
      <span id="hunt-help" class="muted small">Runs this rule over the workspace now (now() = latest event) and records findings.</span>
      {error && <ErrorBox error={error} />}
      {result && (
        <div class="hunt-result" data-testid="hunt-result" role="status">
          <p>
            <strong>{outcome?.outcome ?? 'done'}</strong>
            {outcome?.reason && <span class="muted"> ({outcome.reason})</span>}
            {' · '}{plural(outcome?.rows ?? 0, 'row')}
          </p>
          <RunSummary run={result.run} r={result} />
          <FindingsTable findings={result.findings} showRule={false} testid="hunt-findings" caption="Findings of this hunt" />
        </div>
      )}
    </div>
  );
}
