/**
 * The API bearer token. The server asks for one when it listens beyond loopback; the user pastes it into
 * the token form (or opens a link with `?token=`), and it lives in sessionStorage: gone when the tab closes,
 * never written to localStorage or a cookie.
 */
const KEY = 'kqlite.token';
type Listener = () => void;
const listeners = new Set<Listener>();

export function getToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/** Called by the API client on any 401, so the app can show the token form wherever the user is. */
export function notifyUnauthorized(): void {
  for (const l of listeners) l();
}

export function onUnauthorized(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Moves `?token=` from the address bar into sessionStorage and removes it from the URL (and history). */
export function adoptTokenFromUrl(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  setToken(token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
