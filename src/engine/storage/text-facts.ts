/**
 * Facts about every string of a dictionary that never changes, found once instead of per text per query:
 * whether its strings are "plain JSON candidates": no backslash, no control character and no run of 16
 * digits. The JSON path reader (values/json-path.ts) otherwise tests each text for these with two regexes
 * before reading it (escapes need the careful string scan, 16-digit runs the exact reader); over a million
 * JSON AdditionalFields texts per query those tests were about half of the reading.
 *
 * Only dictionaries that never change are asked: a loaded extent's (marked when the store loads it, see
 * shared-strings.ts `markStoredDictionary`) and a merge of such dictionaries (`noteMergedDictionary`:
 * concatSelected/concatTyped), which is plain when each of its sources is. The answer is computed on the
 * first question about a stored dictionary (one pass over its strings, what one query did before) and kept
 * with it. Any other dictionary answers false, and its texts are tested one by one as before.
 */

import { JSON_SPECIAL, LONG_DIGIT_RUN } from '../values/json-path.js';

const immutable = new WeakSet<readonly string[]>();
const plain = new WeakMap<readonly string[], boolean>();
const mergedFrom = new WeakMap<readonly string[], readonly (readonly string[])[]>();

/** Marks a dictionary that will never change (a loaded extent's). */
export function markImmutableDictionary(dict: readonly string[]): void {
  immutable.add(dict);
}

/** Notes that `merged` holds only strings of `sources` (and ''), so it is plain when every source is. */
export function noteMergedDictionary(merged: readonly string[], sources: readonly (readonly string[])[]): void {
  for (const s of sources) if (!immutable.has(s) && !mergedFrom.has(s)) return;
  mergedFrom.set(merged, sources);
}

/**
 * Whether no string of `dict` holds a backslash, a control character or a 16-digit run, when that is
 * known or can be learned once (a stored dictionary or a merge of them); false otherwise.
 */
export function isPlainJsonDictionary(dict: readonly string[]): boolean {
  const known = plain.get(dict);
  if (known !== undefined) return known;
  let answer: boolean;
  const sources = mergedFrom.get(dict);
  if (sources) answer = sources.every(isPlainJsonDictionary);
  else if (immutable.has(dict)) {
    answer = true;
    for (let k = 0; k < dict.length; k++) {
      const s = dict[k]!;
      if (JSON_SPECIAL.test(s) || LONG_DIGIT_RUN.test(s)) {
        answer = false;
        break;
      }
    }
  } else return false;
  plain.set(dict, answer);
  return answer;
}
