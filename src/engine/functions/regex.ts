/**
 * KQL regular expressions are RE2: run on re2js, a linear-time engine, so a hostile pattern cannot hang
 * the process. Patterns are compiled once and cached (queries use a handful of constant patterns).
 */
import { RE2JS } from 're2js';
import { QueryError } from '../values/value.js';

const cache = new Map<string, RE2JS>();

export function compileRegex(pattern: string, flags = 0): RE2JS {
  const key = `${flags}\u0000${pattern}`;
  let re = cache.get(key);
  if (!re) {
    try {
      re = RE2JS.compile(pattern, flags);
    } catch (e) {
      throw new QueryError(`invalid regular expression '${pattern}': ${(e as Error).message}`, 'KQL4005');
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** Does `pattern` match anywhere in `input` (`matches regex`). */
export function regexTest(pattern: string, input: string): boolean {
  return compileRegex(pattern).test(input);
}

/** Capture group `group` of the first match, or null (`extract`). */
export function regexExtract(pattern: string, group: number, input: string): string | null {
  const m = compileRegex(pattern).matcher(input);
  if (!m.find()) return null;
  try {
    return m.group(group);
  } catch {
    return null;
  }
}

export { RE2JS };
