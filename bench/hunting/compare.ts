/**
 * Row-by-row equality of a shape's kqlite and DuckDB results. Both sides become canonical rows first: each
 * cell as text (numbers, longs and strings exactly; datetimes already 100 ns ticks on both sides; arrays as
 * JSON, sorted first for the shape's `sets`), columns matched by name. Rows are sorted by that text (reals
 * left out of the sort key) and compared one by one: strings, longs, datetimes and arrays must be equal;
 * the shape's `reals` may differ by a relative 1e-9 (sums of doubles in a different order).
 */
export type Cell = string | number | boolean | null | Cell[] | { [k: string]: Cell };
export type CanonRow = Record<string, string | null>;

export const REAL_TOLERANCE = 1e-9;

export function canonicalRows(rows: Record<string, unknown>[], sets: readonly string[] = []): CanonRow[] {
  return rows.map((row) => {
    const out: CanonRow = {};
    for (const [k, v] of Object.entries(row)) out[k] = canonicalCell(v, sets.includes(k));
    return out;
  });
}

function canonicalCell(v: unknown, isSet: boolean): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) {
    const items = v.map((x) => (x === null ? 'null' : typeof x === 'object' ? JSON.stringify(x) : String(x)));
    return JSON.stringify(isSet ? items.sort() : items);
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The differences (empty: equal). */
export function compareCanonical(kqlite: CanonRow[], duckdb: CanonRow[], reals: readonly string[] = []): string[] {
  const problems: string[] = [];
  const cols = Object.keys(kqlite[0] ?? duckdb[0] ?? {}).sort();
  const otherCols = Object.keys(duckdb[0] ?? kqlite[0] ?? {}).sort();
  if (kqlite.length && duckdb.length && cols.join(',') !== otherCols.join(',')) return [`columns differ: kqlite ${cols.join(', ')}; DuckDB ${otherCols.join(', ')}`];
  if (kqlite.length !== duckdb.length) problems.push(`${kqlite.length} rows from kqlite, ${duckdb.length} from DuckDB`);
  const keyCols = cols.filter((c) => !reals.includes(c));
  const key = (r: CanonRow) => keyCols.map((c) => (r[c] === null ? '\u0000' : r[c])).join('\u0001');
  const a = [...kqlite].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const b = [...duckdb].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  for (let i = 0; i < Math.min(a.length, b.length) && problems.length < 5; i++) {
    for (const c of cols) {
      const x = a[i]![c] ?? null;
      const y = b[i]![c] ?? null;
      if (x === y) continue;
      if (reals.includes(c) && x !== null && y !== null) {
        const nx = Number(x), ny = Number(y);
        if (Math.abs(nx - ny) <= REAL_TOLERANCE * Math.max(1, Math.abs(nx), Math.abs(ny))) continue;
      }
      problems.push(`row ${i} (${key(a[i]!).slice(0, 120)}): ${c} is ${x} in kqlite, ${y} in DuckDB`);
      break;
    }
  }
  return problems;
}
