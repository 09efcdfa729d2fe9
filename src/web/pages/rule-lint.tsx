/**
 * The rule page's Lint section: `kqlite check`'s lint findings for this rule, as the server computed them
 * (`RuleDetail.lint`), each with its code (linked to its explanation in docs/LINT.md), severity, message, the
 * line it is on with the span marked and a caret under it, what the code means, and how to turn it off. Codes
 * turned off (in the workspace's config.json or by a `kqlite-disable:` comment in the rule) are named, so a
 * clean section never hides why.
 */
import type { LintFinding, RuleDetail, RuleLint } from '../../server/api.js';
import { Section } from '../components/ui.js';
import { plural } from '../format.js';

const SEVERITY_WORD: Record<LintFinding['severity'], string> = { error: 'error', warning: 'warning', info: 'note' };

function tally(l: RuleLint): string {
  if (!l.findings.length) return 'clean';
  const n = (s: LintFinding['severity']) => l.findings.filter((f) => f.severity === s).length;
  return [plural(n('error'), 'error'), plural(n('warning'), 'warning'), plural(n('info'), 'note')].filter((t) => !t.startsWith('0 ')).join(', ');
}

/** Where the finding is, in words: the rule file's line (or the query's, where the file does not hold it line for line). */
function where(f: LintFinding): string {
  const field = f.field ? `${f.field}: ` : '';
  return `${field}${f.excerpt.in === 'file' ? 'rule file' : 'query'} line ${f.line}, col ${f.column}`;
}

/** The finding's line with its span marked, and a caret line under it (as `kqlite check` prints it). */
function Excerpt({ f }: { f: LintFinding }) {
  const x = f.excerpt;
  const gutter = `${x.line} | `;
  return (
    <pre class={`code small-code lint-excerpt lint-${f.severity}`} data-testid="lint-excerpt" tabIndex={0} aria-label={`${where(f)}, the marked text is what ${f.code} is about`}>
      <span class="muted">{gutter}</span>{x.text.slice(0, x.start)}<mark data-testid="lint-span">{x.text.slice(x.start, x.end)}</mark>{x.text.slice(x.end)}{'\n'}
      <span class="lint-caret" aria-hidden="true">{' '.repeat(gutter.length + x.start)}{'^'.repeat(Math.max(1, x.end - x.start))}</span>
    </pre>
  );
}

function Finding({ f }: { f: LintFinding }) {
  return (
    <li class={`diag diag-${f.severity} lint-finding`} data-testid="lint-finding" data-code={f.code} data-severity={f.severity}>
      <p class="lint-head">
        <span class="diag-sev">{SEVERITY_WORD[f.severity]}</span>{' '}
        <a class="mono" href={f.docsUrl} target="_blank" rel="noopener noreferrer" data-testid="lint-code" title={`${f.code} in docs/LINT.md: why it matters, how to fix it`}>{f.code}</a>{' '}
        <span class="mono muted">{f.name}</span>{' '}
        <span class="muted small" data-testid="lint-where">{where(f)}</span>
      </p>
      <p class="lint-message" data-testid="lint-message">{f.message}</p>
      <Excerpt f={f} />
      <details class="lint-explain" data-testid="lint-explain">
        <summary>What {f.code} means</summary>
        <p>{f.summary}</p>
        <p><a href={f.docsUrl} target="_blank" rel="noopener noreferrer">Why it matters and how to fix it (docs/LINT.md) →</a></p>
        <p class="muted small">To accept it for this rule, add <code>{`# kqlite-disable: ${f.code}`}</code> to the rule file (or <code>{`// kqlite-disable: ${f.code}`}</code> to the query); for the whole workspace, list it under <code>"lint": {'{'}"disable": [...]{'}'}</code> in its config.json.</p>
      </details>
    </li>
  );
}

export function LintSection({ rule }: { rule: RuleDetail }) {
  const l = rule.lint;
  const off = [
    ...l.disabled.config.map((c) => ({ code: c, by: "the workspace's config.json" })),
    ...l.disabled.rule.map((c) => ({ code: c, by: 'a kqlite-disable comment in the rule' })),
  ];
  return (
    <Section title="Lint" id="lint" testid="rule-lint" actions={<span class={`small ${l.findings.length ? 'lint-tally-findings' : 'muted'}`} data-testid="lint-tally">{tally(l)}</span>}>
      {l.configProblems.map((p, i) => <p key={i} class="note note-bad" role="alert" data-testid="lint-config-problem">{p}</p>)}
      {l.findings.length === 0 ? (
        <p class="muted" data-testid="lint-clean">No lint findings: <code>kqlite check</code> has nothing to say about this rule{off.length ? ' with the codes below turned off' : ''}.</p>
      ) : (
        <ul class="diagnostics lint-list" data-testid="lint-findings">
          {l.findings.map((f, i) => <Finding key={i} f={f} />)}
        </ul>
      )}
      {off.length > 0 && (
        <p class="muted small" data-testid="lint-disabled">
          Turned off: {off.map((o, i) => <span key={o.code + o.by} data-testid="lint-disabled-code" data-code={o.code}>{i ? '; ' : ''}<span class="mono">{o.code === 'ALL' ? 'every lint code' : o.code}</span> by {o.by}</span>)}.
        </p>
      )}
    </Section>
  );
}
