/**
 * A JavaScript RegExp that finds exactly what RE2 (re2js) finds, for the simple patterns hunts mostly use
 * (`https?://([^/ ]+)/`, `-EncodedCommand\s+([A-Za-z0-9+/=]+)`): V8's compiled regexes run those 10-50×
 * faster than re2js's backtracker in JavaScript, which was most of an `extract` over command lines.
 *
 * Equal results: both engines prefer the leftmost match and, within it, the alternatives and repetition
 * counts in the same order (RE2's leftmost-first mode is Perl's), so on the subset taken here their matches
 * and groups are the same. The subset is what can be spelt alike in both: literal characters, `.`, classes
 * of literal characters and ranges, `\d \s \w` (ASCII in RE2: spelt out as ASCII classes), `\D \S \W`
 * outside classes, `\b \B ^ $` (no multi-line flag: text start and end in both), groups (capturing and
 * `(?:`), and quantifiers on single characters and classes (`* + ? {n,m}`, lazy or not). The pattern runs in
 * code-point mode (the `u` flag), as RE2 reads code points. Anything else (alternation, a quantified group,
 * flags, named groups, Unicode classes, `\Q`, `\A`, `\z`, ...) stays on re2js.
 *
 * Linear time: a backtracking engine can take exponential or polynomial time on crafted text. Three rules
 * keep a whole search linear in the text's length:
 * - no quantified groups and no alternation;
 * - each repeated item's characters are disjoint from every character that can come right after its
 *   repetition (so the engine never has two ways to split a run: `\s+\S` yes, `\s*\s+` or `a+a` no): one
 *   attempt is linear;
 * - each unbounded item (`*`, `+`, `{n,}`) comes right after an item that must match (or after a leading
 *   `^`) and whose characters it does not share: a run can then be entered only from the one position
 *   before it (or a few, by way of bounded repeats before it), so attempts do not scan the same run again
 *   and again (`/([^/ ]+)` yes; `\d+x`, `\b\w+` or `a\d\d+` no: every start inside a run of digits would
 *   scan the rest of it, n² over a long run). Bounded repeats (`{1,3}`, `?`) cost each attempt a constant.
 * Texts longer than NATIVE_MAX_LENGTH stay on re2js as well, a second bound. test/engine/native-regex.test.ts
 * compares both engines on random patterns and texts.
 */

/** Texts longer than this stay on re2js (a second bound beside the linear-time rules above). */
export const NATIVE_MAX_LENGTH = 1024;

/** A set of characters: ASCII as a bitmap, anything beyond as "maybe" (never disjoint from another "maybe"). */
interface CharSet { ascii: Uint32Array; wide: boolean }

/** One item of the flattened pattern: a character matcher repeated min..max times, or a zero-width assertion (`^` marked). */
interface Item { set?: CharSet; min: number; max: number; textStart?: boolean }

const newSet = (): CharSet => ({ ascii: new Uint32Array(4), wide: false });
const addRange = (s: CharSet, from: number, to: number): void => {
  for (let c = from; c <= Math.min(to, 127); c++) s.ascii[c >> 5]! |= 1 << (c & 31);
  if (to > 127) s.wide = true;
};
const negate = (s: CharSet): CharSet => ({ ascii: s.ascii.map((w) => ~w >>> 0), wide: true });
const union = (a: CharSet, b: CharSet): CharSet => ({ ascii: a.ascii.map((w, k) => w | b.ascii[k]!), wide: a.wide || b.wide });
const disjoint = (a: CharSet, b: CharSet): boolean => !(a.wide && b.wide) && a.ascii.every((w, k) => (w & b.ascii[k]!) === 0);

const DIGITS: [number, number][] = [[48, 57]];
const SPACES: [number, number][] = [[9, 10], [12, 13], [32, 32]];
const WORD: [number, number][] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const PERL: Record<string, [number, number][]> = { d: DIGITS, s: SPACES, w: WORD };
/** Escapes of one control character (RE2's: \a \f \n \r \t \v). */
const CONTROL: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

const hex = (c: number) => `\\u{${c.toString(16)}}`;
const rangesSource = (ranges: [number, number][]) => ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported();
};

/**
 * The pattern as JavaScript source and its flattened items, or undefined outside the subset.
 * (The pattern has compiled on re2js first, so it is valid RE2.)
 */
function translate(p: string): { source: string; items: Item[]; groups: number } | undefined {
  let out = '';
  const items: Item[] = [];
  let groups = 0;
  let depth = 0;
  let i = 0;
  // reads one escaped or literal code point at i (inside or outside a class): [code point, next index] or a class letter
  const codePointAt = (): [number, number] | string => {
    const c = p.codePointAt(i)!;
    if (c !== 92 /* \ */) return [c, i + (c > 0xffff ? 2 : 1)];
    const e = p[i + 1];
    if (e === undefined) return no();
    if (e in PERL || e === 'D' || e === 'S' || e === 'W' || e === 'b' || e === 'B') return e;
    if (e in CONTROL) return [CONTROL[e]!, i + 2];
    if (e === 'x') {
      const m = /^x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(p.slice(i + 1));
      if (!m) return no();
      const v = parseInt(m[1] ?? m[2]!, 16);
      return v > 0x10ffff ? no() : [v, i + 1 + m[0].length];
    }
    // escaped punctuation is itself; any other escaped letter or digit (\p, \Q, \A, \z, \1, \C...) is not taken
    return /[\p{L}\p{N}_]/u.test(e) || e.charCodeAt(0) > 127 ? no() : [e.charCodeAt(0), i + 2];
  };
  while (i < p.length) {
    const ch = p[i]!;
    let set: CharSet | undefined;
    if (ch === '(') {
      if (p.startsWith('(?:', i)) i += 3;
      else if (p[i + 1] === '?') return undefined; // flags, named groups
      else {
        i++;
        groups++;
      }
      out += p[i - 1] === ':' && p[i - 2] === '?' ? '(?:' : '(';
      depth++;
      continue;
    }
    if (ch === ')') {
      if (depth-- === 0) return undefined;
      out += ')';
      i++;
      if (i < p.length && '*+?{'.includes(p[i]!)) return undefined; // a quantified group
      continue;
    }
    if (ch === '|') return undefined;
    if (ch === '^' || ch === '$') {
      out += ch;
      items.push({ min: 0, max: 0, textStart: ch === '^' });
      i++;
      continue;
    }
    if (ch === '.') {
      set = newSet();
      addRange(set, 10, 10);
      set = negate(set);
      // RE2's `.` is any character but a line feed; JavaScript's also leaves out \r, \u2028, \u2029
      out += '[^\\n]';
      i++;
    } else if (ch === '[') {
      let j = i + 1;
      const negated = p[j] === '^';
      if (negated) j++;
      set = newSet();
      const ranges: [number, number][] = [];
      let first = true;
      for (;;) {
        if (j >= p.length) return undefined;
        if (p[j] === ']' && !first) break;
        first = false;
        if (p.startsWith('[:', j)) return undefined; // POSIX classes
        i = j;
        const a = codePointAt();
        if (typeof a === 'string') {
          if (!(a in PERL)) return undefined; // \D \S \W \b inside a class
          ranges.push(...PERL[a]!);
          j = i + 2;
          continue;
        }
        j = a[1];
        if (p[j] === '-' && p[j + 1] !== ']' && j + 1 < p.length) {
          i = j + 1;
          const b = codePointAt();
          if (typeof b === 'string' || b[0] < a[0]) return undefined;
          ranges.push([a[0], b[0]]);
          j = b[1];
        } else ranges.push([a[0], a[0]]);
      }
      for (const [a, b] of ranges) addRange(set, a, b);
      if (negated) set = negate(set);
      out += `[${negated ? '^' : ''}${rangesSource(ranges)}]`;
      i = j + 1;
    } else if ('*+?{'.includes(ch)) return undefined; // (RE2 refuses these unquantifiable; never here)
    else {
      const a = codePointAt();
      if (typeof a === 'string') {
        if (a === 'b' || a === 'B') {
          out += `\\${a}`;
          items.push({ min: 0, max: 0 });
          i += 2;
          continue;
        }
        const r = PERL[a.toLowerCase()]!;
        set = newSet();
        for (const [x, y] of r) addRange(set, x, y);
        if (a !== a.toLowerCase()) set = negate(set);
        out += `[${a !== a.toLowerCase() ? '^' : ''}${rangesSource(r)}]`;
        i += 2;
      } else {
        set = newSet();
        addRange(set, a[0], a[0]);
        out += hex(a[0]);
        i = a[1];
      }
    }
    // a quantifier on the character or class just read
    let min = 1;
    let max = 1;
    const q = /^(?:([*+?])|\{(\d+)(,(\d*))?\})(\??)/.exec(p.slice(i, i + 24));
    if (q) {
      if (q[1]) [min, max] = q[1] === '*' ? [0, Infinity] : q[1] === '+' ? [1, Infinity] : [0, 1];
      else {
        min = Number(q[2]);
        max = q[3] === undefined ? min : q[4] ? Number(q[4]) : Infinity;
      }
      out += q[0];
      i += q[0].length;
    } else if (p[i] === '{') return undefined;
    items.push({ set, min, max });
  }
  if (depth !== 0) return undefined;
  return { source: out, items, groups };
}

/**
 * Whether every repeated item's characters are disjoint from what can follow its repetition: the characters
 * of the next items up to and including the first that must match at least once (zero-width assertions
 * are passed over).
 */
function deterministic(items: Item[]): boolean {
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (!it.set || it.min === it.max) continue;
    if (it.max === Infinity && !enteredOnce(items, k)) return false;
    let follow = newSet();
    for (let j = k + 1; j < items.length; j++) {
      const next = items[j]!;
      if (!next.set) continue;
      follow = union(follow, next.set);
      if (next.min > 0) break;
    }
    if (!disjoint(it.set, follow)) return false;
  }
  return true;
}

/**
 * Whether the unbounded item at k can be entered from one position only: right after an item that must
 * match and shares none of its characters, or at a leading `^` (the search then makes one attempt).
 */
function enteredOnce(items: Item[], k: number): boolean {
  if (k === 0) return false;
  const before = items[k - 1]!;
  if (!before.set) return k === 1 && before.textStart === true;
  return before.min > 0 && disjoint(before.set, items[k]!.set!);
}

const cache = new Map<string, { re: RegExp; groups: number } | null>();
let lastPattern: string | undefined;
let lastNative: { re: RegExp; groups: number } | null = null;

/**
 * The native regex for an RE2 `pattern` with no flags (its capture group count beside it), or undefined
 * when the pattern is outside the subset above. The regex is not global: `exec` searches from the start.
 */
export function nativeRegexOf(pattern: string): { re: RegExp; groups: number } | undefined {
  if (pattern === lastPattern) return lastNative ?? undefined;
  let found = cache.get(pattern);
  if (found === undefined) {
    found = null;
    try {
      const t = translate(pattern);
      if (t && deterministic(t.items)) found = { re: new RegExp(t.source, 'u'), groups: t.groups };
    } catch (e) {
      if (!(e instanceof Unsupported) && !(e instanceof SyntaxError)) throw e;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, found);
  }
  lastPattern = pattern;
  lastNative = found;
  return found ?? undefined;
}
