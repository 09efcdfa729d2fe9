/**
 * Merging a table's extents into one columnar table, on typed arrays (no per-cell Values): string and guid
 * dictionaries are unified and codes remapped, tick/number/bool arrays are copied back to back, validity
 * bitmaps are shifted into place, each column only when first read. A merge is cached per extent list, so the rules of a hunt that scan the
 * same extents merge them once; a source that returns the same extent objects gets the same merged table.
 * A where chain over a table does not merge: it runs extent by extent, and `concatSelected` joins only the
 * rows that passed (scan.ts).
 */
import type { TableSchema } from '../../kql/semantics/types.js';
import { isValid, newValidity, setValid, type Column, type GuidColumn, type StringColumn, type Table, type Validity } from './column.js';
import { postingsFromExtents } from './postings.js';
import { noteSharedIds, pushUnshared, sharedIdsOfAll, sharedStringCount } from './shared-strings.js';
import { noteMergedDictionary } from './text-facts.js';

const MERGES_KEPT_PER_TABLE = 2;
const mergeCache = new WeakMap<Table, { extents: Table[]; merged: Table }[]>();

/** The extents as one table in `schema` order (the extents share that order); cached by extent identity. */
export function mergeExtents(schema: TableSchema, extents: Table[]): Table {
  if (extents.length === 1) return extents[0]!;
  const first = extents[0];
  if (!first) return { columns: schema.columns.map((c) => ({ name: c.name, column: emptyColumn(c.type) })), length: 0 };
  const entries = mergeCache.get(first) ?? [];
  const hit = entries.find((e) => e.extents.length === extents.length && e.extents.every((x, i) => x === extents[i]));
  if (hit) return hit.merged;
  let length = 0;
  for (const x of extents) length += x.length;
  // each column is merged when a query first reads it: hunting rules read a handful of a table's columns
  const merged: Table = {
    columns: schema.columns.map((c, i) => lazyColumn(c.name, () => concatTyped(extents.map((x) => x.columns[i]!.column), length))),
    length,
  };
  entries.unshift({ extents: [...extents], merged });
  entries.length = Math.min(entries.length, MERGES_KEPT_PER_TABLE);
  mergeCache.set(first, entries);
  return merged;
}

/**
 * What a column that concatenates parts (a where chain's per-extent survivors, scan.ts) is made of: each
 * part's column entry and selection (absent: every row) and its number of rows. Operators that read a few
 * rows or encode keys (join) read the parts directly instead of making the concatenated column.
 */
export interface ColumnParts {
  /** The column's type (the table schema's), known without reading any part. */
  type: Column['type'];
  entries: { readonly column: Column }[];
  sels: (Int32Array | undefined)[];
  lengths: number[];
}

/** A relation's column: its name, the column (possibly made on first read) and, for a concatenation, its parts. */
export interface ColumnEntry {
  name: string;
  readonly column: Column;
  readonly parts?: ColumnParts;
  /**
   * The column is `column` gathered at `rows` (made when read: mv-expand's repeated columns); a reader of
   * every row in order may read `column` at `rows` instead of making the gathered copy.
   */
  readonly gathered?: { readonly column: Column; readonly rows: Int32Array };
}

/** A `{ name, column }` entry whose column is made on first read, then kept (and what it was made from let go). */
export function lazyColumn(name: string, make: () => Column, parts?: ColumnParts): ColumnEntry {
  let column: Column | undefined;
  let from: (() => Column) | undefined = make;
  return {
    name,
    get column() {
      if (column === undefined) {
        column = from!();
        from = undefined;
      }
      return column;
    },
    ...(parts ? { parts } : {}),
  };
}

function emptyColumn(type: Column['type']): Column {
  switch (type) {
    case 'string': return { type, length: 0, dict: [''], codes: new Int32Array(0) };
    case 'guid': return { type, length: 0, dict: [''], codes: new Int32Array(0), validity: undefined };
    case 'datetime':
    case 'timespan': return { type, length: 0, hi: new Float64Array(0), lo: new Uint16Array(0), validity: undefined };
    case 'dynamic': return { type, length: 0, values: [], validity: undefined };
    case 'bool': return { type, length: 0, values: new Uint8Array(0), validity: undefined };
    default: return { type, length: 0, values: new Float64Array(0), validity: undefined };
  }
}

/**
 * Whether the next extent's strings are still worth matching with the earlier extents' when dictionaries
 * are merged: yes while the second and later extents find a fair share (1 in 20) of their strings already
 * there (names, actions, addresses repeat across extents) and the strings matched so far are fewer than
 * MATCHED_STRINGS_MAX; no once they find almost none (command lines: mostly distinct per row) or the
 * index is that large (JSON AdditionalFields: half of them repeat at 10M rows, but hashing a million long
 * strings into one Map, a few hundred ns each and more as it grows, cost more than everything after it:
 * 1.2 s of a 3.5 s mv-expand + parse_json). Unmatched extents' strings are appended as they are (once
 * each: an extent's own dictionary has no repeats), so the merged dictionary may then hold a string twice;
 * nothing reads codes as string identity (groups, joins and sets go through ValueIds, by text, which
 * looks each dictionary string up once: the Map work matching would have saved it, it does itself).
 */
const MATCHED_STRINGS_MAX = 1 << 16;
class StringMatching {
  private lookups = 0;
  private hits = 0;
  private part = 0;
  /** Call at the start of each part, with the number of strings matched so far: whether to match this part's strings. */
  next(matched: number): boolean {
    if (matched >= MATCHED_STRINGS_MAX) return false;
    return this.part++ < 2 || this.lookups < 1000 || this.hits * 20 >= this.lookups;
  }
  /** Counts a lookup of the second or a later part. */
  saw(hit: boolean): void {
    if (this.part < 2) return;
    this.lookups++;
    if (hit) this.hits++;
  }
}

/**
 * concatSelected of string/guid parts whose dictionaries have shared ids (storage/shared-strings.ts): a
 * string is matched across parts by its id, so the merged dictionary holds each string once and no
 * string is hashed. The merged dictionary's shared ids are not kept: it is not a stored one.
 */
function concatShared(cols: (StringColumn | GuidColumn)[], sels: (Int32Array | undefined)[], length: number, shared: Int32Array[], validity: Validity): Column {
  const dict: string[] = [];
  const byShared = new Int32Array(sharedStringCount()).fill(-1);
  // the merged dictionary's shared ids (each of its strings has one), kept with it for what reads it next
  const dictIds: number[] = [];
  const codes = new Int32Array(length);
  let at = 0;
  for (let p = 0; p < cols.length; p++) {
    const c = cols[p]!;
    const ids = shared[p]!;
    const sel = sels[p];
    const local = c.codes;
    const n = sel ? sel.length : c.length;
    for (let i = 0; i < n; i++) {
      const code = local[sel ? sel[i]! : i]!;
      const s = ids[code]!;
      let g = byShared[s]!;
      if (g < 0) {
        byShared[s] = g = dict.push(c.dict[code]!) - 1;
        dictIds.push(s);
      }
      codes[at++] = g;
    }
  }
  if (!dict.length) pushUnshared(dict, dictIds, '');
  noteMergedDictionary(dict, cols.map((c) => c.dict));
  noteSharedIds(dict, Int32Array.from(dictIds));
  const c0 = cols[0]!;
  return c0.type === 'string' ? { type: 'string', length, dict, codes } : { type: 'guid', length, dict, codes, validity };
}

/** Concatenates columns of one type (all of `cols[0].type`). */
export function concatTyped(cols: Column[], length: number): Column {
  const c0 = cols[0]!;
  switch (c0.type) {
    case 'string':
    case 'guid': {
      const dict: string[] = [];
      const index = new Map<string, number>();
      const matching = new StringMatching();
      const codes = new Int32Array(length);
      const remaps: Int32Array[] = [];
      let at = 0;
      for (const c of cols as (typeof c0)[]) {
        const remap = new Int32Array(c.dict.length);
        let dedup = matching.next(index.size);
        c.dict.forEach((s, k) => {
          let g = dedup ? index.get(s) : undefined;
          if (dedup) matching.saw(g !== undefined);
          if (g === undefined) {
            g = dict.push(s) - 1;
            // (the index full: the rest of this part is appended too)
            if (dedup && index.set(s, g).size >= MATCHED_STRINGS_MAX) dedup = false;
          }
          remap[k] = g;
        });
        for (let i = 0; i < c.length; i++) codes[at + i] = remap[c.codes[i]!]!;
        remaps.push(remap);
        at += c.length;
      }
      noteMergedDictionary(dict, (cols as (typeof c0)[]).map((c) => c.dict));
      const out: StringColumn | GuidColumn = c0.type === 'string' ? { type: 'string', length, dict, codes } : { type: 'guid', length, dict, codes, validity: concatValidity(cols, length) };
      postingsFromExtents(out, cols as (typeof c0)[], remaps);
      return out;
    }
    case 'datetime':
    case 'timespan': {
      const hi = new Float64Array(length);
      const lo = new Uint16Array(length);
      let at = 0;
      for (const c of cols as (typeof c0)[]) {
        hi.set(c.hi, at);
        lo.set(c.lo, at);
        at += c.length;
      }
      return { type: c0.type, length, hi, lo, validity: concatValidity(cols, length) };
    }
    case 'dynamic': {
      const values: (typeof c0)['values'] = [];
      for (const c of cols as (typeof c0)[]) for (const v of c.values) values.push(v);
      return { type: 'dynamic', length, values, validity: concatValidity(cols, length) };
    }
    case 'bool': {
      const values = new Uint8Array(length);
      let at = 0;
      for (const c of cols as (typeof c0)[]) {
        values.set(c.values, at);
        at += c.length;
      }
      return { type: 'bool', length, values, validity: concatValidity(cols, length) };
    }
    default: {
      const values = new Float64Array(length);
      let at = 0;
      for (const c of cols as (typeof c0)[]) {
        values.set(c.values, at);
        at += c.length;
      }
      const validity = concatValidity(cols, length);
      if (!(cols as (typeof c0)[]).some((c) => c.big)) return { type: c0.type, length, values, validity };
      // one extent holds a long beyond ±2^53: the merged column keeps every row exactly
      const big = new BigInt64Array(length);
      at = 0;
      for (const c of cols as (typeof c0)[]) {
        if (c.big) big.set(c.big, at);
        else for (let i = 0; i < c.length; i++) big[at + i] = BigInt(Math.trunc(c.values[i]!));
        at += c.length;
      }
      return { type: c0.type, length, values, validity, big };
    }
  }
}

function concatValidity(cols: Column[], length: number): Validity {
  if (cols.every((c) => !('validity' in c) || c.validity === undefined)) return undefined;
  const out = newValidity(length, true);
  let at = 0;
  for (const c of cols) {
    const v = 'validity' in c ? c.validity : undefined;
    if (v) for (let i = 0; i < c.length; i++) if (!isValid(v, i)) setValid(out, at + i, false);
    at += c.length;
  }
  return out;
}

/**
 * The selected rows of several parts of one column (each part a column and its selection, absent = every
 * row), back to back as one column: a where chain run extent by extent is joined this way, copying only the
 * rows that passed. A string/guid dictionary keeps only the strings those rows hold.
 */
export function concatSelected(cols: Column[], sels: (Int32Array | undefined)[], length: number): Column {
  const c0 = cols[0]!;
  const each = (fn: (part: number, row: number, at: number) => void) => {
    let at = 0;
    cols.forEach((c, p) => {
      const sel = sels[p];
      const n = sel ? sel.length : c.length;
      for (let i = 0; i < n; i++) fn(p, sel ? sel[i]! : i, at++);
    });
  };
  const validity = concatSelectedValidity(cols, sels, length);
  switch (c0.type) {
    case 'string':
    case 'guid': {
      // one plain loop per part (no callback per row): a where chain's survivors of 30 extents are
      // millions of rows, and this runs once per column a later operator reads
      // stored extents' dictionaries: their strings matched by shared id (an array lookup, no hashing)
      const shared = sharedIdsOfAll((cols as (typeof c0)[]).map((c) => c.dict));
      if (shared) return concatShared(cols as (typeof c0)[], sels, length, shared, validity);
      const dict: string[] = [];
      const index = new Map<string, number>();
      const matching = new StringMatching();
      const codes = new Int32Array(length);
      let at = 0;
      for (let p = 0; p < cols.length; p++) {
        const c = cols[p] as typeof c0;
        const sel = sels[p];
        const local = c.codes;
        const remap = new Int32Array(c.dict.length).fill(-1);
        const n = sel ? sel.length : c.length;
        let dedup = matching.next(index.size);
        for (let i = 0; i < n; i++) {
          const code = local[sel ? sel[i]! : i]!;
          let g = remap[code]!;
          if (g < 0) {
            const str = c.dict[code]!;
            g = dedup ? (index.get(str) ?? -1) : -1;
            if (dedup) matching.saw(g >= 0);
            if (g < 0) {
              g = dict.push(str) - 1;
              // (the index full: the rest of this part is appended too)
              if (dedup && index.set(str, g).size >= MATCHED_STRINGS_MAX) dedup = false;
            }
            remap[code] = g;
          }
          codes[at++] = g;
        }
      }
      if (!dict.length) dict.push('');
      noteMergedDictionary(dict, (cols as (typeof c0)[]).map((c) => c.dict));
      return c0.type === 'string' ? { type: 'string', length, dict, codes } : { type: 'guid', length, dict, codes, validity };
    }
    case 'datetime':
    case 'timespan': {
      const hi = new Float64Array(length);
      const lo = new Uint16Array(length);
      let at = 0;
      for (let p = 0; p < cols.length; p++) {
        const c = cols[p] as typeof c0;
        const sel = sels[p];
        if (!sel) {
          hi.set(c.hi.subarray(0, c.length), at);
          lo.set(c.lo.subarray(0, c.length), at);
          at += c.length;
          continue;
        }
        const chi = c.hi, clo = c.lo;
        for (let i = 0; i < sel.length; i++, at++) {
          hi[at] = chi[sel[i]!]!;
          lo[at] = clo[sel[i]!]!;
        }
      }
      return { type: c0.type, length, hi, lo, validity };
    }
    case 'dynamic': {
      const values: (typeof c0)['values'] = new Array(length);
      each((p, r, at) => { values[at] = (cols[p] as typeof c0).values[r]!; });
      return { type: 'dynamic', length, values, validity };
    }
    case 'bool': {
      const values = new Uint8Array(length);
      each((p, r, at) => { values[at] = (cols[p] as typeof c0).values[r]!; });
      return { type: 'bool', length, values, validity };
    }
    default: {
      const values = new Float64Array(length);
      let at = 0;
      for (let p = 0; p < cols.length; p++) {
        const c = cols[p] as typeof c0;
        const sel = sels[p];
        const cv = c.values;
        if (!sel) {
          values.set(cv.subarray(0, c.length), at);
          at += c.length;
        } else for (let i = 0; i < sel.length; i++) values[at++] = cv[sel[i]!]!;
      }
      if (!(cols as (typeof c0)[]).some((c) => c.big)) return { type: c0.type, length, values, validity };
      const big = new BigInt64Array(length);
      each((p, r, at) => {
        const c = cols[p] as typeof c0;
        big[at] = c.big ? c.big[r]! : BigInt(Math.trunc(c.values[r]!));
      });
      return { type: c0.type, length, values, validity, big };
    }
  }
}

function concatSelectedValidity(cols: Column[], sels: (Int32Array | undefined)[], length: number): Validity {
  if (cols.every((c) => !('validity' in c) || c.validity === undefined)) return undefined;
  const out = newValidity(length, true);
  let at = 0;
  cols.forEach((c, p) => {
    const v = 'validity' in c ? c.validity : undefined;
    const sel = sels[p];
    const n = sel ? sel.length : c.length;
    if (v) for (let i = 0; i < n; i++) if (!isValid(v, sel ? sel[i]! : i)) setValid(out, at + i, false);
    at += n;
  });
  return out;
}
