/**
 * The enrichment sections of the rule page, each titled as the SOC feed titles them, each showing where
 * its content came from and how confident that source is.
 */
import type { Confidence, RuleDetail, Sourced } from '../../server/api.js';
import { KqlCode } from '../components/kql-code.js';
import { Badge, CopyButton, ExternalLink, Section } from '../components/ui.js';

export function Provenance({ sourced }: { sourced: Sourced<unknown> }) {
  return (
    <p class="provenance small" data-testid="section-provenance">
      source: {sourced.source} · confidence: <span class={`conf conf-${sourced.confidence}`}>{sourced.confidence}</span>
    </p>
  );
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** The weakest confidence among the enrichment sections: what the page as a whole can be trusted at. */
export function overallConfidence(rule: RuleDetail): Confidence {
  const e = rule.enrichment;
  const all = [e.hypothesis, e.attack, e.dataSources, e.references, e.falsePositives, ...(e.attribution ? [e.attribution] : [])].map((s) => s.confidence);
  return all.reduce((a, b) => (RANK[b] < RANK[a] ? b : a), 'high' as Confidence);
}

export function HypothesisSection({ rule }: { rule: RuleDetail }) {
  const h = rule.enrichment.hypothesis;
  return (
    <Section title="Hunt Hypothesis" id="hypothesis">
      <p class="prose">{h.value}</p>
      <Provenance sourced={h} />
    </Section>
  );
}

/** Sigma rules: who wrote the rule and under which licence (the DRL asks for both wherever the rule is shown). */
export function AttributionSection({ rule }: { rule: RuleDetail }) {
  const a = rule.enrichment.attribution;
  if (!a) return null;
  const v = a.value;
  return (
    <Section title="Author and Licence" id="attribution" testid="rule-attribution">
      <dl class="facts">
        <dt>Author</dt><dd data-testid="rule-author">{v.author}</dd>
        <dt>Licence</dt><dd data-testid="rule-license">{v.license}</dd>
        {v.status && <><dt>Sigma status</dt><dd>{v.status}</dd></>}
        {v.level && <><dt>Level</dt><dd>{v.level}{v.level === 'critical' ? ' (severity high)' : ''}</dd></>}
        {v.date && <><dt>Date</dt><dd>{v.date}{v.modified ? `, modified ${v.modified}` : ''}</dd></>}
        <dt>Logsource</dt><dd class="mono" data-testid="rule-logsource">{v.logsource}</dd>
      </dl>
      <Provenance sourced={a} />
    </Section>
  );
}

/**
 * The workbench address for a rule's query: the text itself (`?q=`) while the address stays short, else the
 * rule (`?rule=`, the workbench fetches its query). A catch-all rule's query with hundreds of domains made a
 * 30 kB address the server refused (431) before the page could load.
 */
export const MAX_Q_URL = 4000;
export function workbenchHref(ruleId: string, query: string): string {
  const q = `/workbench?q=${encodeURIComponent(query)}`;
  return q.length <= MAX_Q_URL ? q : `/workbench?rule=${encodeURIComponent(ruleId)}`;
}

export function QuerySection({ rule }: { rule: RuleDetail }) {
  if (!rule.query) {
    return (
      <Section title="KQL Query" id="query">
        <p class="muted" data-testid="rule-query-none">No KQL: {rule.notRunnable ?? 'the rule has no query'}.</p>
      </Section>
    );
  }
  return (
    <Section title={rule.language === 'Sigma' ? 'KQL Query (converted from the Sigma rule)' : 'KQL Query'} id="query" actions={<>
      <CopyButton text={rule.query} label="Copy query" testid="copy-query" />
      <a class="btn btn-small" href={workbenchHref(rule.id, rule.query)} data-testid="open-in-workbench">Open in workbench</a>
    </>}>
      <KqlCode text={rule.query} testid="rule-query" />
    </Section>
  );
}

export function DefinitionSection({ rule }: { rule: RuleDetail }) {
  return (
    <Section title={rule.language === 'Sigma' ? 'Sigma Rule (original YAML)' : 'Analytic Rule Definition'} id="definition" actions={<CopyButton text={rule.yaml} label="Copy YAML" testid="copy-yaml" />}>
      <pre class="code yaml" data-testid="rule-yaml" tabIndex={0} aria-label="Rule definition YAML"><code>{rule.yaml}</code></pre>
      {rule.repairs.length > 0 && (
        <div class="note" data-testid="rule-repairs">
          <strong>Repairs applied when reading this file:</strong>
          <ul>{rule.repairs.map((r, i) => <li key={i}>{r}</li>)}</ul>
        </div>
      )}
    </Section>
  );
}

export function DataSourcesSection({ rule }: { rule: RuleDetail }) {
  const ds = rule.enrichment.dataSources;
  return (
    <Section title="Required Data Sources" id="data-sources">
      <table class="grid compact stack" data-testid="data-sources">
        <thead><tr><th scope="col">Sentinel Table</th><th scope="col">In this workspace</th><th scope="col">Notes</th></tr></thead>
        <tbody>
          {ds.value.map((d) => (
            <tr key={d.table} data-testid="data-source" data-present={String(d.present)}>
              <td class="mono" data-label="Sentinel Table">{d.table}</td>
              <td data-label="In this workspace">
                {d.present === true && <span class="pill pill-ok">present</span>}
                {d.present === false && <span class="pill pill-bad">missing</span>}
                {d.present === null && <span class="pill pill-unknown">unknown</span>}
              </td>
              <td class="muted wrap-cell" data-label="Notes">{d.present === false ? 'No data ingested: the rule cannot match until it is.' : 'Ensure this data connector is enabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Provenance sourced={ds} />
    </Section>
  );
}

export function AttackSection({ rule }: { rule: RuleDetail }) {
  const a = rule.enrichment.attack;
  const items = [...a.value.tactics.map((t) => ({ ...t, kind: 'Tactic' })), ...a.value.techniques.map((t) => ({ ...t, kind: 'Technique' }))];
  const sub = a.value.suggestedSubtechnique;
  return (
    <Section title="MITRE ATT&CK Context" id="attack">
      {items.length === 0 && <p class="muted">The rule names no tactic or technique.</p>}
      <dl class="attack-list" data-testid="attack-context">
        {items.map((t) => (
          <div key={t.kind + t.id} class="attack-item">
            <dt><Badge kind={t.kind === 'Tactic' ? 'tactic' : 'technique'}>{t.id}</Badge> <ExternalLink href={t.url}>{t.name}</ExternalLink> <span class="muted small">{t.kind}</span></dt>
            <dd class="prose">{t.description}</dd>
          </div>
        ))}
      </dl>
      {sub && (
        <p class="note" data-testid="suggested-subtechnique">
          Suggested sub-technique: <ExternalLink href={sub.url}>{sub.id} {sub.name}</ExternalLink>: {sub.why}
        </p>
      )}
      <Provenance sourced={a} />
    </Section>
  );
}

export function ReferencesSection({ rule }: { rule: RuleDetail }) {
  const r = rule.enrichment.references;
  return (
    <Section title="References" id="references">
      {r.value.length === 0 ? <p class="muted">No references.</p> : (
        <ul class="refs" data-testid="references">
          {r.value.map((ref) => <li key={ref.url}><ExternalLink href={ref.url}>{ref.title}</ExternalLink> <span class="muted small url">{ref.url}</span></li>)}
        </ul>
      )}
      <Provenance sourced={r} />
    </Section>
  );
}

export function FalsePositivesSection({ rule }: { rule: RuleDetail }) {
  const fp = rule.enrichment.falsePositives;
  return (
    <Section title="False Positive Guidance" id="false-positives">
      <p class="prose">{fp.value.guidance}</p>
      {fp.value.clauses.map((c, i) => (
        <div class="fp-clause" key={i} data-testid="fp-clause">
          <div class="fp-head">
            <h3>{c.title}</h3>
            <CopyButton text={c.kql} label="Copy clause" />
          </div>
          <p class="muted">{c.why}</p>
          <KqlCode text={c.kql} label={`Exclusion clause: ${c.title}`} />
        </div>
      ))}
      <Provenance sourced={fp} />
    </Section>
  );
}

/** Every place the rule was found (one query, several sources or paths), with each one's licence and author. */
export function OriginsSection({ rule }: { rule: RuleDetail }) {
  return (
    <Section title="Sources and Licences" id="origins">
      <ul class="origins" data-testid="origins">
        {rule.origins.map((o, i) => (
          <li key={i} data-testid="origin" data-kind={o.kind}>
            <strong>{o.name}</strong>{o.path && <> · <span class="mono small">{o.path}</span></>}
            {o.commit && <span class="muted small"> at {o.commit.slice(0, 12)}</span>}
            {o.webUrl && <> · <ExternalLink href={o.webUrl}>upstream file</ExternalLink></>}
            <div class="muted small">
              {o.license ? <span data-testid="origin-license">Licence: {o.license}</span> : <span>Licence: not stated by the source</span>}
              {o.author && <span data-testid="origin-author"> · Author: {o.author}</span>}
              {o.retrieved && <span> · Retrieved {o.retrieved}</span>}
            </div>
          </li>
        ))}
      </ul>
    </Section>
  );
}
