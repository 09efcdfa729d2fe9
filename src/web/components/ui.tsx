/** Small building blocks every page uses: badges, loading and error states, the copy button, section panels. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { RuleStatus, Severity, TriageStatus } from '../../server/api.js';
import { ApiRequestError, isUnreachable } from '../api-client.js';

export function Badge({ kind = 'neutral', title, children, testid }: { kind?: string; title?: string; children: ComponentChildren; testid?: string }) {
  return <span class={`badge badge-${kind}`} title={title} data-testid={testid}>{children}</span>;
}

export function SeverityBadge({ severity, derived }: { severity: Severity; derived?: boolean }) {
  return (
    <span class={`badge sev sev-${severity}`} data-testid="severity" title={derived ? 'Severity chosen by kqlite: the rule declares none it recognises (see its validation)' : 'Severity'}>
      {severity}{derived ? '*' : ''}
    </span>
  );
}

const STATUS_TEXT: Record<RuleStatus, string> = { valid: 'valid', warning: 'warnings', error: 'invalid' };

export function RuleStatusBadge({ status }: { status: RuleStatus }) {
  return <span class={`badge rstatus rstatus-${status}`} data-testid="rule-status" title="Validation status">{STATUS_TEXT[status]}</span>;
}

export function TriageBadge({ status }: { status: TriageStatus }) {
  return <span class={`badge triage triage-${status}`} data-testid="triage-status">{status}</span>;
}

export function Loading({ what }: { what: string }) {
  return <p class="muted loading" role="status" aria-live="polite">Loading {what}…</p>;
}

/** An error where it happened. A server that did not answer is said once, by the shell (app.tsx), not here. */
export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  if (isUnreachable(error)) return null;
  const status = error instanceof ApiRequestError && error.status ? ` (HTTP ${error.status})` : '';
  return (
    <div class="error-box" role="alert" data-testid="error">
      <strong>Error{status}:</strong> {error.message}
      {retry && <button type="button" class="btn btn-small" onClick={retry}>Retry</button>}
    </div>
  );
}

export function CopyButton({ text, label = 'Copy', testid }: { text: string; label?: string; testid?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1600);
  };
  return (
    <button type="button" class="btn btn-small" onClick={copy} data-testid={testid} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}

export function Section({ title, id, children, actions, testid }: { title: string; id: string; children: ComponentChildren; actions?: ComponentChildren; testid?: string }) {
  return (
    <section class="panel" aria-labelledby={`${id}-title`} data-testid={testid ?? `section-${id}`}>
      <header class="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions && <div class="panel-actions">{actions}</div>}
      </header>
      <div class="panel-body">{children}</div>
    </section>
  );
}

/** An outbound link: opens in a new tab, never sends the referrer. */
export function ExternalLink({ href, children, testid }: { href: string; children: ComponentChildren; testid?: string }) {
  return <a href={href} target="_blank" rel="noopener noreferrer" data-testid={testid}>{children}</a>;
}
