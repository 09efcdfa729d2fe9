/**
 * Term index of a string dictionary: each term (maximal run of letters/digits of the lower-cased string,
 * as `has` sees it) → the dictionary codes whose string holds it. Every term of a `has` needle is a whole
 * term of any string the needle matches, so the codes listed for the needle's rarest term are the only
 * ones worth testing: on a column with many distinct strings (command lines, URLs) a `has` tests a few
 * strings instead of all. Built once per dictionary on first use.
 */
import { terms } from '../values/terms.js';

const indexes = new WeakMap<string[], Map<string, number[]>>();

export function termIndexOf(dict: string[]): Map<string, number[]> {
  let index = indexes.get(dict);
  if (!index) {
    index = new Map();
    for (let c = 0; c < dict.length; c++) {
      for (const t of new Set(termsOfLowered(dict[c]!))) {
        const list = index.get(t);
        if (list) list.push(c);
        else index.set(t, [c]);
      }
    }
    indexes.set(dict, index);
  }
  return index;
}

/** Terms of the lower-cased string (lower-casing can split a term, e.g. 'İ' gains a combining mark). */
function termsOfLowered(s: string): string[] {
  return terms(s.toLowerCase());
}

/**
 * Codes that may match a case-insensitive `has` of `needle` (ascending), or undefined when the needle has
 * no term to look up (then every string must be tested).
 */
export function hasCandidates(dict: string[], needle: string): number[] | undefined {
  const ts = termsOfLowered(needle);
  if (!ts.length) return undefined;
  const index = termIndexOf(dict);
  let best: number[] | undefined;
  for (const t of ts) {
    const list = index.get(t) ?? [];
    if (!best || list.length < best.length) best = list;
  }
  return best;
}
