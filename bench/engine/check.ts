/**
 * Checks DuckDB's result of a line equal to kqlite's: the same rows, matched on the group keys. A capped
 * `make_set(x, n)` keeps n of the distinct values and which n is the engine's choice, so there kqlite's set
 * must hold min(n, all) values, every one of them in DuckDB's full set; uncapped sets must be equal.
 */
import type { Cell, Rows } from './worker.js';

const text = (c: Cell) => (Array.isArray(c) ? JSON.stringify(c) : String(c));

export function compareRows(kqlite: Rows, duckdb: Rows, keys: string[], sets: Record<string, number | undefined>): string[] {
  const problems: string[] = [];
  if (kqlite.length !== duckdb.length) problems.push(`${kqlite.length} rows from kqlite, ${duckdb.length} from DuckDB`);
  const columns = Object.keys(kqlite[0] ?? duckdb[0] ?? {});
  const keyCols = keys.length ? keys : columns.filter((c) => !(c in sets));
  const keyOf = (r: Record<string, Cell>) => keyCols.map((k) => text(r[k] ?? null)).join('\u0001');
  const byKey = new Map<string, Record<string, Cell>>();
  for (const r of duckdb) byKey.set(keyOf(r), r);
  for (const k of kqlite) {
    const d = byKey.get(keyOf(k));
    if (!d) {
      problems.push(`no DuckDB row for ${keyOf(k)}`);
      continue;
    }
    for (const c of columns) {
      const a = k[c] ?? null;
      const b = d[c] ?? null;
      if (c in sets && Array.isArray(a) && Array.isArray(b)) {
        const cap = sets[c];
        const full = new Set(b);
        const want = cap === undefined ? b.length : Math.min(cap, b.length);
        if (a.length !== want || a.some((x) => !full.has(x))) problems.push(`${c} differs at ${keyOf(k)}: ${text(a)} vs ${text(b)}`);
      } else if (text(a) !== text(b)) problems.push(`${c} differs at ${keyOf(k)}: ${text(a)} vs ${text(b)}`);
    }
  }
  return problems;
}
