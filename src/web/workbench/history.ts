/** Query history of the workbench, newest first, in localStorage (queries are not secrets; tokens never go here). */
export interface HistoryEntry { query: string; at: string; ok: boolean; rows?: number }

const KEY = 'kqlite.workbench.history';
export const HISTORY_LIMIT = 50;

/** Adds an entry on top; the same query text run again moves up instead of repeating. */
export function addToHistory(list: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  const q = entry.query.trim();
  return [{ ...entry, query: q }, ...list.filter((e) => e.query.trim() !== q)].slice(0, limit);
}

export function loadHistory(): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is HistoryEntry => typeof e?.query === 'string' && typeof e?.at === 'string') : [];
  } catch {
    return [];
  }
}

export function saveHistory(list: readonly HistoryEntry[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: history is a convenience, the query still ran
  }
}
