/**
 * Sigma values and their modifiers → matchers. A value is a Sigma string (its `*` and `?` wildcards, `\` escaping
 * them and itself), a number, a boolean or null. Modifiers apply left to right: contains/startswith/endswith
 * add wildcards; utf16le/utf16be/utf16/wide turn text into bytes and base64/base64offset encode them (base64offset
 * gives the three encodings of the text at each byte offset); windash expands each `-` or `/` that starts a
 * command-line switch into its five spellings; re (with i, m, s), cidr, exists, fieldref and gt/gte/lt/lte change
 * what the value means; cased makes string matching case-sensitive; all AND-s a field's values instead of OR-ing
 * them. A value that expands into several forms matches when any of them does.
 */
export const MULTI = 0;
export const SINGLE = 1;
/** A Sigma string: literal text and wildcards (MULTI `*`, SINGLE `?`). */
export type Seg = string | typeof MULTI | typeof SINGLE;

export type Matcher =
  | { kind: 'str'; segs: Seg[] }
  | { kind: 'num'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 're'; pattern: string; flags: string }
  | { kind: 'cidr'; value: string }
  | { kind: 'cmp'; op: '<' | '<=' | '>' | '>='; value: number }
  | { kind: 'exists'; value: boolean }
  | { kind: 'fieldref'; field: string; segsAround: 'eq' | 'contains' | 'startswith' | 'endswith' };

/** A field's values as matchers: `alts[i]` are value i's forms (OR-ed); values OR-ed, or AND-ed with `all`. */
export interface ValueSpec { alts: Matcher[][]; all: boolean; cased: boolean }

/** Parses Sigma's escaping: `\*`, `\?` and `\\` are literal, a `\` before anything else is a literal backslash. */
export function sigmaString(s: string): Seg[] {
  const out: Seg[] = [];
  let lit = '';
  const flush = () => {
    if (lit) out.push(lit);
    lit = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*') {
      flush();
      if (out[out.length - 1] !== MULTI) out.push(MULTI);
    } else if (c === '?') {
      flush();
      out.push(SINGLE);
    } else lit += c;
  }
  flush();
  return out;
}

export const plain = (segs: readonly Seg[]): string | undefined => (segs.every((x) => typeof x === 'string') ? (segs as string[]).join('') : undefined);

function wrap(segs: Seg[], start: boolean, end: boolean): Seg[] {
  const out = [...segs];
  if (start && out[0] !== MULTI) out.unshift(MULTI);
  if (end && out[out.length - 1] !== MULTI) out.push(MULTI);
  return out;
}

type Val = { t: 'str'; segs: Seg[] } | { t: 'bytes'; b: Buffer } | { t: 'num'; n: number } | { t: 'bool'; v: boolean } | { t: 'null' };

const WINDASH = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_FORMS = 1024;

/** Each `-` or `/` that starts a switch (no word character before it, one after) in its five spellings. */
function windash(segs: Seg[]): Seg[][] {
  let forms: Seg[][] = [[]];
  for (const seg of segs) {
    if (typeof seg !== 'string') {
      forms = forms.map((f) => [...f, seg]);
      continue;
    }
    const pieces = seg.split(/(?<![A-Za-z0-9_])[-/](?=[A-Za-z0-9_])/);
    let texts = [pieces[0]!];
    for (let k = 1; k < pieces.length; k++) texts = texts.flatMap((t) => WINDASH.map((d) => t + d + pieces[k]));
    forms = forms.flatMap((f) => texts.map((t) => [...f, t]));
    if (forms.length > MAX_FORMS) throw new Error(`windash gives more than ${MAX_FORMS} forms of one value`);
  }
  return forms;
}

function textOf(v: Val, mod: string): string {
  if (v.t === 'str') {
    const p = plain(v.segs);
    if (p === undefined) throw new Error(`'${mod}' cannot encode a value with wildcards`);
    return p;
  }
  if (v.t === 'num') return String(v.n);
  throw new Error(`'${mod}' needs a text value`);
}
const bytesOf = (v: Val, mod: string): Buffer => (v.t === 'bytes' ? v.b : Buffer.from(textOf(v, mod), 'utf8'));

/** base64 of the text at byte offsets 0, 1 and 2, cut to the characters that do not depend on its neighbours. */
function base64Offsets(b: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  return [0, 1, 2].map((i) => {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), b]).toString('base64');
    const end = ends[(b.length + i) % 3]!;
    return enc.slice(starts[i]!, end ? end : undefined);
  });
}

function toSegs(v: Val): Seg[] {
  if (v.t === 'str') return v.segs;
  if (v.t === 'num') return [String(v.n)];
  if (v.t === 'bool') return [String(v.v)];
  if (v.t === 'bytes') return [v.b.toString('latin1')];
  return [''];
}

const FLAGS = new Set(['all', 'cased', 'i', 'm', 's']);
const COMPARE: Record<string, '<' | '<=' | '>' | '>='> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** One value through the modifiers; a thrown Error's message says which modifier refused it. */
function one(raw: unknown, mods: readonly string[]): Matcher[] {
  const names = mods.map((m) => m.toLowerCase());
  if (names.includes('re')) {
    if (typeof raw !== 'string') throw new Error("'re' needs a regular expression (text)");
    const other = names.filter((m) => m !== 're' && !FLAGS.has(m));
    if (other.length) throw new Error(`'re' cannot be combined with '${other.join("', '")}'`);
    return [{ kind: 're', pattern: raw, flags: names.filter((m) => m === 'i' || m === 'm' || m === 's').join('') }];
  }
  if (names.includes('cidr')) return [{ kind: 'cidr', value: String(raw) }];
  if (names.includes('exists')) return [{ kind: 'exists', value: raw === true || raw === 'true' }];
  if (names.includes('fieldref')) {
    const around = names.includes('contains') ? 'contains' : names.includes('startswith') ? 'startswith' : names.includes('endswith') ? 'endswith' : 'eq';
    return [{ kind: 'fieldref', field: String(raw), segsAround: around }];
  }
  const cmp = names.find((m) => m in COMPARE);
  if (cmp) {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(n)) throw new Error(`'${cmp}' needs a number, not '${String(raw)}'`);
    return [{ kind: 'cmp', op: COMPARE[cmp]!, value: n }];
  }
  let vals: Val[] = [raw === null || raw === undefined ? { t: 'null' } : typeof raw === 'number' ? { t: 'num', n: raw } : typeof raw === 'boolean' ? { t: 'bool', v: raw } : { t: 'str', segs: sigmaString(String(raw)) }];
  for (const m of names) {
    if (FLAGS.has(m)) continue;
    vals = vals.flatMap((v): Val[] => {
      switch (m) {
        case 'contains': case 'startswith': case 'endswith': {
          if (v.t === 'null') throw new Error(`'${m}' needs a value, not null`);
          return [{ t: 'str', segs: wrap(toSegs(v), m !== 'startswith', m !== 'endswith') }];
        }
        case 'wide': case 'utf16le': return [{ t: 'bytes', b: Buffer.from(textOf(v, m), 'utf16le') }];
        case 'utf16be': return [{ t: 'bytes', b: Buffer.from(textOf(v, m), 'utf16le').swap16() }];
        case 'utf16': return [{ t: 'bytes', b: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(textOf(v, m), 'utf16le')]) }];
        case 'base64': return [{ t: 'str', segs: [bytesOf(v, m).toString('base64')] }];
        case 'base64offset': return base64Offsets(bytesOf(v, m)).map((s) => ({ t: 'str', segs: [s] }));
        case 'windash': return windash(toSegs(v)).map((segs) => ({ t: 'str', segs }));
        case 'expand': throw new Error("'expand' needs values for placeholders (%name%) that kqlite does not have");
        default: throw new Error(`unknown modifier '${m}'`);
      }
    });
  }
  return vals.map((v): Matcher => (v.t === 'null' ? { kind: 'null' } : v.t === 'num' ? { kind: 'num', value: v.n } : v.t === 'bool' ? { kind: 'bool', value: v.v } : { kind: 'str', segs: toSegs(v) }));
}

/** A field's values and modifiers as matchers, or the reason they cannot be read. */
export function valueSpec(values: readonly unknown[], modifiers: readonly string[]): ValueSpec | string {
  const names = modifiers.map((m) => m.toLowerCase());
  for (const f of ['i', 'm', 's']) if (names.includes(f) && !names.includes('re')) return `modifier '${f}' is a regular expression flag: use it with 're'`;
  try {
    return { alts: values.map((v) => one(v, modifiers)), all: names.includes('all'), cased: names.includes('cased') };
  } catch (e) {
    return (e as Error).message;
  }
}
