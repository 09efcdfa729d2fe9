/**
 * KQL regular expressions are RE2: run on re2js, a linear-time engine, so a hostile pattern cannot hang
 * the process. Patterns are compiled once and cached (queries use a handful of constant patterns).
 */
import type * as Re2js from 're2js';
import type { RE2JS } from 're2js';
import { lazyPackage } from '../../common/lazy-package.js';
import { QueryError } from '../values/value.js';
import { NATIVE_MAX_LENGTH, nativeRegexOf } from './native-regex.js';

const re2js = lazyPackage<typeof Re2js>('re2js');

const cache = new Map<string, RE2JS>();

// the last pattern asked for: a query asks for the same one row after row (no key string, no lookup)
let lastPattern: string | undefined;
let lastFlags = 0;
let lastRegex: RE2JS | undefined;

export function compileRegex(pattern: string, flags = 0): RE2JS {
  if (pattern === lastPattern && flags === lastFlags) return lastRegex!;
  const re = compileRegexCached(pattern, flags);
  lastPattern = pattern;
  lastFlags = flags;
  lastRegex = re;
  return re;
}

function compileRegexCached(pattern: string, flags: number): RE2JS {
  const key = `${flags}\u0000${pattern}`;
  let re = cache.get(key);
  if (!re) {
    try {
      re = re2js().RE2JS.compile(pattern, flags);
    } catch (e) {
      throw new QueryError(`invalid regular expression '${pattern}': ${(e as Error).message}`, 'KQL4005');
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

const literals = new Map<string, string | undefined>();

/**
 * A text every match of `pattern` contains (the longest run of literal characters at the top level that
 * no quantifier makes optional), or undefined when the pattern has none we can be sure of: a top-level
 * alternation, inline flags (`(?i)` changes what a literal matches), `\Q` quoting. Testing `includes` first
 * skips the regex engine (re2js, in JavaScript) on the rows that cannot match: `extract(@"-EncodedCommand
 * \s+(...)", 1, ProcessCommandLine)` over every command line runs the regex on the few that hold it.
 */
let lastLiteralOf: string | undefined;
let lastLiteral: string | undefined;

export function requiredLiteral(pattern: string): string | undefined {
  if (pattern === lastLiteralOf) return lastLiteral;
  lastLiteral = literalOf(pattern);
  lastLiteralOf = pattern;
  return lastLiteral;
}

function literalOf(pattern: string): string | undefined {
  if (literals.has(pattern)) return literals.get(pattern);
  let best = '';
  let run = '';
  let depth = 0;
  let ok = !pattern.includes('(?') && !pattern.includes('\\Q');
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; ok && i < pattern.length; ) {
    const ch = pattern[i]!;
    let literal: string | undefined;
    let next = i + 1;
    if (ch === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) break;
      // an escaped punctuation character is itself; \d, \s, \n, \x41, \101, \p{L}... are classes or codes
      if (!/[\p{L}\p{N}_]/u.test(e)) literal = e;
      if (/[pPx]/.test(e) && pattern[i + 2] === '{') next = pattern.indexOf('}', i) + 1 || pattern.length;
      // (\x41 is one character: its two hex digits are not literal text; nor an octal code's digits)
      else if (e === 'x') next = i + 4;
      else if (/[0-7]/.test(e)) next = i + 2 + (/^[0-7]{0,2}/.exec(pattern.slice(i + 2))![0].length);
      else next = i + 2;
    } else if (ch === '[') {
      // a class: skip to its closing bracket (a ] first, or first after ^, is a member)
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      next = j + 1;
    } else if (ch === '(' || ch === ')') {
      depth += ch === '(' ? 1 : -1;
      endRun();
      i = next;
      continue;
    } else if (ch === '|') {
      if (depth === 0) ok = false;
      i = next;
      continue;
    } else if ('.^$*+?{}'.includes(ch)) {
      endRun();
      if (ch === '{') next = pattern.indexOf('}', i) + 1 || pattern.length;
      i = next;
      continue;
    } else literal = ch;
    if (depth > 0) {
      i = next;
      continue;
    }
    const q = pattern[next];
    if (q === '{' && !/^\{\d+(,\d*)?\}/.test(pattern.slice(next))) ok = false;
    const optional = q === '*' || q === '?' || (q === '{' && /^\{0+[,}]/.test(pattern.slice(next)));
    if (literal === undefined || optional) endRun();
    else {
      run += literal;
      // `ab+c` holds "ab", never "abc" for sure
      if (q === '+' || q === '{') endRun();
    }
    i = next;
  }
  endRun();
  const out = ok && best.length >= 2 ? best : undefined;
  if (literals.size > 1000) literals.clear();
  literals.set(pattern, out);
  return out;
}

// (a module-level copy: under tsx every read of an imported binding is a getter call, and this is per row)
const NATIVE_MAX = NATIVE_MAX_LENGTH;

/**
 * Does `pattern` match anywhere in `input` (`matches regex`). A simple pattern runs as a native RegExp on
 * texts up to NATIVE_MAX_LENGTH (native-regex.ts: same matches, bounded time), anything else on re2js.
 */
export function regexTest(pattern: string, input: string): boolean {
  const lit = requiredLiteral(pattern);
  if (lit !== undefined && !input.includes(lit)) return false;
  const re = compileRegex(pattern); // (first: an invalid pattern is reported as before)
  if (input.length <= NATIVE_MAX) {
    const native = nativeRegexOf(pattern);
    if (native) return native.re.test(input);
  }
  return re.test(input);
}

/** Capture group `group` of the first match, or null (`extract`); the native RegExp as in regexTest. */
export function regexExtract(pattern: string, group: number, input: string): string | null {
  const lit = requiredLiteral(pattern);
  if (lit !== undefined && !input.includes(lit)) return null;
  const re = compileRegex(pattern);
  if (input.length <= NATIVE_MAX) {
    const native = nativeRegexOf(pattern);
    // (a group past the pattern's, or not a whole number, is re2js's to answer)
    if (native && Number.isInteger(group) && group >= 0 && group <= native.groups) {
      const m = native.re.exec(input);
      return m === null ? null : (m[group] ?? null);
    }
  }
  const m = re.matcher(input);
  if (!m.find()) return null;
  try {
    return m.group(group);
  } catch {
    return null;
  }
}

