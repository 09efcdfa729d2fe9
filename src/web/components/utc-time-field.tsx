/**
 * A UTC time as ISO 8601 text (`2026-11-19T17:58:56Z`). Not `datetime-local`: browsers show that in the
 * viewer's locale (11/19/2026, 05:58:56 PM), which reads as local time beside a "UTC" label, and hunting
 * data is compared in UTC. Checked as the analyst types; the message says what is wrong and shows the form.
 * The placeholder is a pattern, not an example date, so an empty field never looks like a set one.
 */
import type { ComponentChildren } from 'preact';
import { parseUtcText } from '../format.js';

export function UtcTimeField({ id, label, text, onText, onCommit, testid, children }: {
  id: string;
  label: string;
  text: string;
  onText: (text: string) => void;
  /** Enter or leaving the field with a valid time (undefined when emptied). */
  onCommit?: (iso: string | undefined) => void;
  testid: string;
  /** Buttons beside the input (e.g. "latest event"). */
  children?: ComponentChildren;
}) {
  const parsed = parseUtcText(text);
  const errorId = `${id}-error`;
  return (
    <div class="field utc-field">
      <label for={id}>{label}</label>
      <div class="utc-row">
        <input id={id} type="text" class="mono utc-input" value={text} placeholder="YYYY-MM-DDThh:mm:ssZ" spellcheck={false}
          autocomplete="off" inputMode="text" data-testid={testid}
          aria-invalid={!parsed.ok} aria-describedby={parsed.ok ? undefined : errorId}
          onInput={(e) => onText((e.target as HTMLInputElement).value)}
          onChange={(e) => {
            const now = parseUtcText((e.target as HTMLInputElement).value);
            if (now.ok) onCommit?.(now.iso);
          }} />
        {children}
      </div>
      <p id={errorId} class="field-error utc-error" aria-live="polite" data-testid={`${testid}-error`}>{parsed.ok ? '' : parsed.error}</p>
    </div>
  );
}
