/** Asks for the API token when the server answers 401; the token goes to sessionStorage only. */
import { useState } from 'preact/hooks';
import { setToken } from '../token.js';

export function TokenForm({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) {
      setError('Paste the token that `kqlite serve` printed.');
      return;
    }
    setToken(token);
    onDone();
  };
  return (
    <form class="token-form panel" onSubmit={submit} data-testid="token-form" aria-labelledby="token-title">
      <h1 id="token-title">API token required</h1>
      <p class="muted">This server only answers requests that carry its token. It was printed when <code>kqlite serve</code> started. It is kept for this browser tab only.</p>
      <label for="token-input">Token</label>
      <input id="token-input" type="password" autoComplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'token-error' : undefined} data-testid="token-input" autoFocus />
      {error && <p id="token-error" class="field-error">{error}</p>}
      <button type="submit" class="btn btn-primary" data-testid="token-submit">Continue</button>
    </form>
  );
}
