/**
 * The tab title, set by each page from what it shows (a rule's name, a finding's id, "Page not found"), so
 * tabs, history and bookmarks tell pages apart. Pages set it, not the shell: Preact runs a child's effects
 * before its parent's, so a title set by the shell would overwrite the page's.
 */
import { useEffect } from 'preact/hooks';

export function useTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · kqlite`;
  }, [title]);
}
