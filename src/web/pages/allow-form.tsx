/** The "allow a tool in a scope" form: POST /api/suppressions. A reason is required and checked before sending. */
import { useState } from 'preact/hooks';
import type { AllowRequest } from '../../server/api.js';
import { api } from '../api-client.js';
import { ErrorBox } from '../components/ui.js';

export interface AllowFields { target: string; targetKind: 'tool' | 'rule'; device: string; user: string; signer: string; reason: string; expires: string }

/** Field-level problems of the form, by field name; empty when it can be sent. */
export function validateAllow(f: AllowFields, today = new Date().toISOString().slice(0, 10)): Partial<Record<keyof AllowFields, string>> {
  const errors: Partial<Record<keyof AllowFields, string>> = {};
  if (!f.target.trim()) errors.target = `Name the ${f.targetKind} to allow.`;
  if (!f.reason.trim()) errors.reason = 'Say why this use is sanctioned (change ticket, owner, purpose).';
  else if (f.reason.trim().length < 8) errors.reason = 'Give a reason a colleague can check later (at least 8 characters).';
  if (f.expires && f.expires <= today) errors.expires = 'The expiry date must be in the future.';
  return errors;
}

export function toAllowRequest(f: AllowFields): AllowRequest {
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  const req: AllowRequest = { target: f.target.trim(), targetKind: f.targetKind, reason: f.reason.trim() };
  const device = opt(f.device), user = opt(f.user), signer = opt(f.signer);
  if (device) req.device = device;
  if (user) req.user = user;
  if (signer) req.signer = signer;
  // a date means "until the end of that day" (UTC)
  if (f.expires) req.expires = `${f.expires}T23:59:59Z`;
  return req;
}

/** `initial.tool` is the target: a tool, or with `kind: 'rule'` a rule id (a finding of a rule about no tool). */
export function AllowForm({ initial, onCancel, onSaved }: { initial: { tool: string; device?: string; kind?: 'tool' | 'rule' }; onCancel: () => void; onSaved: () => void }) {
  const [f, setF] = useState<AllowFields>({ target: initial.tool, targetKind: initial.kind ?? 'tool', device: initial.device ?? '', user: '', signer: '', reason: '', expires: '' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const errors = touched ? validateAllow(f) : {};
  const set = (k: keyof AllowFields) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(validateAllow(f)).length) return;
    setBusy(true);
    try {
      await api.allow(toAllowRequest(f));
      onSaved();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof AllowFields, label: string, props: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`allow-${k}`}>{label}</label>
      <input id={`allow-${k}`} value={f[k]} onInput={set(k)} aria-invalid={errors[k] ? 'true' : undefined}
        aria-describedby={errors[k] ? `allow-${k}-error` : undefined} data-testid={`allow-${k}`} {...props} />
      {errors[k] && <p id={`allow-${k}-error`} class="field-error">{errors[k]}</p>}
    </div>
  );
  return (
    <form class="panel allow-form" onSubmit={submit} noValidate aria-labelledby="allow-title" data-testid="allow-form">
      <header class="panel-head"><h2 id="allow-title">Allow {f.targetKind === 'tool' ? 'a tool' : 'a rule'} in a scope</h2></header>
      <div class="panel-body">
        <p class="muted small">Findings in this scope stay recorded but are marked allowed and no longer count as open. Leave a scope field empty to mean any.</p>
        <div class="form-grid">
          <div class="field">
            <label for="allow-kind">Allow</label>
            <select id="allow-kind" value={f.targetKind} onChange={(e) => setF({ ...f, targetKind: (e.target as HTMLSelectElement).value as 'tool' | 'rule' })}>
              <option value="tool">tool</option>
              <option value="rule">rule</option>
            </select>
          </div>
          {field('target', f.targetKind === 'tool' ? 'Tool' : 'Rule id or name', { required: true })}
          {field('device', 'Device (glob)', { placeholder: 'any device' })}
          {field('user', 'User (glob)', { placeholder: 'any user' })}
          {field('signer', 'Signer', { placeholder: 'any signer' })}
          {field('expires', 'Expires (UTC date)', { type: 'date' })}
        </div>
        <div class="field wide">
          <label for="allow-reason">Reason (required)</label>
          <textarea id="allow-reason" rows={2} value={f.reason} onInput={set('reason')} required aria-invalid={errors.reason ? 'true' : undefined}
            aria-describedby={errors.reason ? 'allow-reason-error' : undefined} data-testid="allow-reason" />
          {errors.reason && <p id="allow-reason-error" class="field-error">{errors.reason}</p>}
        </div>
        {error && <ErrorBox error={error} />}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="allow-submit">{busy ? 'Saving…' : 'Allow'}</button>
          <button type="button" class="btn" onClick={onCancel}>Cancel</button>
        </div>
      </div>
    </form>
  );
}
