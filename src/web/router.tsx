/**
 * Client-side routing on the History API. The server answers every non-/api path with index.html, so each
 * page and each filter state has a stable URL that survives reload and can be shared.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Location { path: string; query: URLSearchParams }

const listeners = new Set<() => void>();
const current = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });

type EntryState = Record<string, unknown> & { scrollY?: number };
const entry = (): EntryState => (history.state && typeof history.state === 'object' ? history.state as EntryState : {});
/** Where Back/Forward arrived from (its scroll position), until the page that arrived has drawn and used it. */
let restoreY: number | undefined;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  restoreY = undefined;
  if (opts.replace) history.replaceState(null, '', to);
  else {
    // the page being left keeps its scroll position in its history entry, for Back
    history.replaceState({ ...entry(), scrollY: window.scrollY }, '');
    history.pushState(null, '', to);
  }
  for (const l of listeners) l();
  if (!opts.replace) window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  restoreY = entry().scrollY;
  for (const l of listeners) l();
});

/**
 * After Back or Forward: once the page has drawn again what it showed (`ready`; its data comes from the
 * server, so the browser's own restoring ran against an empty page), scroll to where the reader was.
 */
export function useRestoredScroll(ready: boolean): void {
  useEffect(() => {
    if (!ready || restoreY === undefined) return;
    const y = restoreY;
    restoreY = undefined;
    window.scrollTo(0, y);
  }, [ready]);
}

/** A value kept in this page's history entry (e.g. how many rules the feed has drawn), so Back returns to it. */
export function entryValue<T>(key: string): T | undefined {
  return entry()[key] as T | undefined;
}

export function setEntryValue(key: string, value: unknown): void {
  history.replaceState({ ...entry(), [key]: value }, '');
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const l = () => setLoc(current());
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return loc;
}

/** Replaces the query string of the current page (filters), keeping one history entry per user action. */
export function setQuery(params: Record<string, string | string[] | undefined>, opts: { replace?: boolean } = {}): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) if (item) q.append(k, item);
  }
  const s = q.toString();
  navigate(location.pathname + (s ? `?${s}` : ''), opts);
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & { href: string; children?: ComponentChildren; onClick?: (e: MouseEvent) => void };

/**
 * An ordinary link (middle-click, copy address work) that navigates in-app on a plain left click. An
 * `onClick` given runs first and may take the click (preventDefault) to act in place instead.
 */
export function Link({ href, children, onClick: own, ...rest }: LinkProps) {
  const onClick = (e: MouseEvent) => {
    own?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a {...rest} href={href} onClick={onClick}>{children}</a>;
}
