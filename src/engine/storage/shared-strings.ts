/**
 * Process-wide ids for the strings of stored extents' dictionaries, so that matching one extent's strings
 * with another's is an array lookup instead of hashing every string again on every query. A stored table
 * has a dictionary per extent per column: a join or group-by over 30 extents of DeviceId hashed 30 ×
 * 12,821 device ids into a Map per query (most of a LOLBin join's key encoding), and merging a where
 * chain's survivors (`concatSelected`) hashed them once more. With shared ids each stored dictionary is
 * hashed once, when first read, and the per-query work is `byShared[sharedIds[code]]`.
 *
 * Only dictionaries the store marks (a loaded extent's columns, which never change) get ids, and only
 * small ones of short strings (names, ids, addresses: the keys queries group and join on); command lines
 * and JSON texts, mostly distinct per row, would only fill the table. The table holds its strings for the
 * life of the process (an evicted column's strings too), so it is capped: past MAX_STRINGS no further
 * dictionary gets ids and callers take their usual path (a Map per query).
 */

import { markImmutableDictionary } from './text-facts.js';

/** A dictionary with more strings than this is not given ids (its strings are mostly distinct per row). */
const MAX_DICTIONARY = 1 << 16;
/** Mean UTF-16 length past which a dictionary is not given ids (paths, command lines, JSON). */
const MAX_MEAN_LENGTH = 64;
/** Strings the table may hold: about 100 bytes each with the Map entry, so 256k hold about 25 MB. */
const MAX_STRINGS = 1 << 18;

const idOf = new Map<string, number>();
const marked = new WeakSet<readonly string[]>();
const idsOf = new WeakMap<readonly string[], Int32Array | null>();

/** Marks a stored extent's dictionary (never changed after loading) as one that may get shared ids. */
export function markStoredDictionary(dict: readonly string[]): void {
  // (it never changes, so facts about its strings may be kept with it: text-facts.ts)
  markImmutableDictionary(dict);
  if (dict.length > 1 && dict.length <= MAX_DICTIONARY) marked.add(dict);
}

/** How many shared ids exist: every id is below this. */
export function sharedStringCount(): number {
  return idOf.size;
}

/**
 * The shared id of each string of `dict` (by code), or undefined when the dictionary has none (not a
 * marked dictionary, too many or too long strings, or the table is full). Equal strings get equal ids.
 */
export function sharedIdsOf(dict: readonly string[]): Int32Array | undefined {
  const known = idsOf.get(dict);
  if (known !== undefined) return known ?? undefined;
  if (!marked.has(dict)) return undefined;
  let chars = 0;
  for (let k = 0; k < dict.length; k++) chars += dict[k]!.length;
  if (chars > MAX_MEAN_LENGTH * dict.length || idOf.size + dict.length > MAX_STRINGS) {
    idsOf.set(dict, null);
    return undefined;
  }
  const ids = new Int32Array(dict.length);
  for (let k = 0; k < dict.length; k++) {
    const s = dict[k]!;
    let id = idOf.get(s);
    if (id === undefined) idOf.set(s, (id = idOf.size));
    ids[k] = id;
  }
  idsOf.set(dict, ids);
  return ids;
}

/**
 * Appends `s` to a dictionary being made of shared strings (`ids` beside it: its strings' shared ids) and
 * gives its code. A string without a shared id (the '' a null row reads as, when no stored dictionary
 * held it) pushes -1, and `noteSharedIds` then leaves the dictionary without ids.
 */
export function pushUnshared(dict: string[], ids: number[], s: string): number {
  ids.push(idOf.get(s) ?? -1);
  return dict.push(s) - 1;
}

/**
 * Records the shared ids of a dictionary made of shared strings (a gather or merge of dictionaries that
 * have them, each string once; `ids[k]` is `dict[k]`'s), so what reads the result (a group-by or dcount
 * over a join's gathered column) matches its strings by id too. The dictionary must never change after.
 */
export function noteSharedIds(dict: readonly string[], ids: Int32Array): void {
  if (ids.length === dict.length && !ids.includes(-1)) idsOf.set(dict, ids);
}

/**
 * Shared ids of several dictionaries at once, or undefined unless every one has them (a merge uses them
 * only when it can match every part's strings that way).
 */
export function sharedIdsOfAll(dicts: readonly (readonly string[])[]): Int32Array[] | undefined {
  const out: Int32Array[] = [];
  for (const d of dicts) {
    const ids = sharedIdsOf(d);
    if (!ids) return undefined;
    out.push(ids);
  }
  return out;
}
