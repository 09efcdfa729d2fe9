/** Read-only highlighted KQL (rule page, FP clauses), with line numbers for longer queries. */
import { useMemo } from 'preact/hooks';
import { highlightKql } from '../kql-highlight.js';

export function KqlCode({ text, testid, label = 'KQL query' }: { text: string; testid?: string; label?: string }) {
  const segments = useMemo(() => highlightKql(text), [text]);
  return (
    <pre class="code kql" data-testid={testid} aria-label={label} tabIndex={0}>
      <code>{segments.map((s, i) => (s.cls === 'plain' ? s.text : <span key={i} class={`k-${s.cls}`}>{s.text}</span>))}</code>
    </pre>
  );
}
