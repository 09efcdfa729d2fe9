/**
 * KQL regular expressions are RE2: run on re2js, a linear-time engine, so a hostile pattern cannot hang
 * the process. Patterns are compiled once and cached (queries use a handful of constant patterns).
 */
import type * as Re2js from 're2js';
import type { RE2JS } from 're2js';
import { lazyPackage } from '../../common/lazy-package.js';
import { QueryError } from '../values/value.js';

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
      // an escaped punctuation character is itself; \d, \s, \n, \x41, \p{L}... are classes or codes
      if (!/[\p{L}\p{N}_]/u.test(e)) literal = e;
      next = /[pPx]/.test(e) && pattern[i + 2] === '{' ? pattern.indexOf('}', i) + 1 || pattern.length : i + 2;
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

/** Does `pattern` match anywhere in `input` (`matches regex`). */
export function regexTest(pattern: string, input: string): boolean {
  const lit = requiredLiteral(pattern);
  if (lit !== undefined && !input.includes(lit)) return false;
  return compileRegex(pattern).test(input);
}

/** Capture group `group` of the first match, or null (`extract`). */
export function regexExtract(pattern: string, group: number, input: string): string | null {
  const lit = requiredLiteral(pattern);
  if (lit !== undefined && !input.includes(lit)) return null;
  const m = compileRegex(pattern).matcher(input);
  if (!m.find()) return null;
  try {
    return m.group(group);
  } catch {
    return null;
  }
}

