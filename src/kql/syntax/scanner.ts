/**
 * The KQL scanner: turns text into tokens, all at once (queries are small; the parser wants lookahead).
 * Never throws: an unreadable character becomes a `bad` token that the parser reports where it meets it.
 * Comments (`// ...`) are skipped, leading client directives (`#...` lines) are `directive` tokens; each token records whether whitespace preceded it, which the parser
 * needs for hyphenated operator words (`project-away`) and `!has`-style negations.
 */
import type { Span } from '../../common/span.js';
import { parseTimespanUnitLiteral } from './literals.js';

/** `directive`: a client directive line (`#connect ...`) before the first token; the parser takes them off. */
export type TokenKind = 'ident' | 'number' | 'timespan' | 'string' | 'punct' | 'bad' | 'directive' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for `string`: including quotes). */
  text: string;
  span: Span;
  /** True when whitespace or a comment separates this token from the previous one. */
  spaced: boolean;
  /** Decoded value of a string token. */
  value?: string;
  /** Why a `bad` or unterminated token is bad. */
  error?: string;
  /** String token written as `h'..'` (obfuscated). */
  obfuscated?: boolean;
  /** Diagnostic code for a `bad` token with a specific cause (e.g. a merge-conflict marker). */
  code?: string;
}

/** Multi-character punctuation, longest first so `==` wins over `=`. */
const PUNCTS = ['..', '==', '!=', '<>', '<=', '>=', '=~', '!~', '=>', '|', '(', ')', '[', ']', '{', '}', ',', ';', '.', '=', '<', '>', '+', '-', '*', '/', '%', '!', ':', '~', '?', '#', '@'];

const isDigit = (c: number) => c >= 48 && c <= 57;
/** Names are ASCII, as in Kusto.Language (`print aéb=1` is an error there); `$` only starts one (`$left`). */
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentStart = (c: number) => isLetter(c) || c === 36;
const isIdentPart = (c: number) => isLetter(c) || isDigit(c);

/**
 * The characters Kusto.Language's lexer skips as whitespace, found by trying every Unicode space, format and
 * control character against it (test/kql/syntax/whitespace.test.ts keeps the two in step): tab, LF, FF, CR,
 * space, U+00A0, U+1680, U+180E, U+2000-U+200B, U+202F, U+205F, U+3000 and the BOM. Not vertical tab, U+0085,
 * the line/paragraph separators or the zero-width joiners: those are errors there, so they are here.
 */
export function isKustoWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
  return c === 0xa0 || c === 0x1680 || c === 0x180e || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * A word that starts with a digit: a number or timespan literal when the whole word is one (`42`, `0x1F`,
 * `1e5`, `5m`), else a name (`2022MostExploited`, `5Minutebin`, `1d2`, `0xg`): Kusto.Language's rule, probed
 * on it. (Digits followed by `.` or a signed exponent are read as a number by the scanner's number path.)
 */
function digitWordKind(word: string): 'number' | 'timespan' | 'ident' {
  if (/^\d+$/.test(word) || /^0[xX][0-9a-fA-F]+$/.test(word) || /^\d+[eE]\d+$/.test(word)) return 'number';
  if (/^\d+[a-zA-Z]+$/.test(word) && parseTimespanUnitLiteral(word) !== undefined) return 'timespan';
  return 'ident';
}

export function scan(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  const n = text.length;
  const push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>) => {
    tokens.push({ kind, text: text.slice(start, end), span: { start, end }, spaced, ...extra });
    spaced = false;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (isKustoWhitespace(c)) {
      i++;
      spaced = true;
      continue;
    }
    // comment
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      spaced = true;
      continue;
    }
    // A client directive (`#connect ...`, or any line led by `#`) before the first token: Kusto.Language
    // reads such lines as the query block's directives and runs the query after them; anywhere later a
    // `#` stays a token the parser rejects (probed on Kusto.Language: `#a\nT` parses, `T\n#a` does not).
    if (c === 35 && tokens.every((t) => t.kind === 'directive')) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      push('directive', start, i);
      spaced = true;
      continue;
    }
    const start = i;
    // git merge-conflict markers at the start of a line: <<<<<<<, =======, >>>>>>>
    if ((c === 60 || c === 61 || c === 62) && (i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r') && text.startsWith(String.fromCharCode(c).repeat(7), i)) {
      let j = i;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      push('bad', start, j, { error: `merge-conflict marker '${text.slice(i, Math.min(j, i + 40))}': resolve the conflict before running the query`, code: 'KQL1011' });
      i = j;
      continue;
    }
    // multi-line string ```...``` (or ~~~...~~~)
    if ((c === 96 || c === 126) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
      const fence = text.slice(i, i + 3);
      const end = text.indexOf(fence, i + 3);
      if (end < 0) {
        push('string', start, n, { value: text.slice(i + 3), error: 'unterminated multi-line string literal' });
        i = n;
      } else {
        push('string', start, end + 3, { value: text.slice(i + 3, end) });
        i = end + 3;
      }
      continue;
    }
    // strings with prefixes: @'..' @".." h'..' H".." h@'..'
    {
      let j = i;
      let obfuscated = false;
      let verbatim = false;
      if ((c === 104 || c === 72) && (text[j + 1] === "'" || text[j + 1] === '"' || text[j + 1] === '@')) {
        obfuscated = true;
        j++;
      }
      if (text[j] === '@' && (text[j + 1] === "'" || text[j + 1] === '"')) {
        verbatim = true;
        j++;
      }
      const q = text[j];
      if ((q === "'" || q === '"') && (j === i || obfuscated || verbatim)) {
        const r = verbatim ? readVerbatim(text, j) : readQuoted(text, j);
        push('string', start, r.end, { value: r.value, ...(r.error ? { error: r.error } : {}), ...(obfuscated ? { obfuscated } : {}) });
        i = r.end;
        continue;
      }
    }
    // numbers and timespans: 12, 1.5, 1e3, 0x1F, 10ms, 1.5h, 2d
    // a word led by a digit that is no literal is a name (`2022MostExploited`); `1e-5`, `1.5h` read on below
    if (isDigit(c)) {
      let w = i;
      while (w < n && isIdentPart(text.charCodeAt(w))) w++;
      const word = text.slice(i, w);
      const signedExponent = /^\d+[eE]$/.test(word) && (text[w] === '+' || text[w] === '-') && isDigit(text.charCodeAt(w + 1));
      if (!(text[w] === '.' && /^\d+$/.test(word)) && !signedExponent) {
        push(digitWordKind(word), start, w);
        i = w;
        continue;
      }
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)) && !(tokens.length && tokens[tokens.length - 1]!.text === '.' && !spaced))) {
      let j = i;
      if (c === 48 && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F]/.test(text[j]!)) j++;
        push('number', start, j);
        i = j;
        continue;
      }
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text[j] === '.' && text[j + 1] !== '.' && (isDigit(text.charCodeAt(j + 1)) || !isIdentStart(text.charCodeAt(j + 1)))) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      if ((text[j] === 'e' || text[j] === 'E') && (isDigit(text.charCodeAt(j + 1)) || ((text[j + 1] === '+' || text[j + 1] === '-') && isDigit(text.charCodeAt(j + 2))))) {
        j += 2;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      if (j < n && isIdentStart(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) {
        let k = j;
        while (k < n && isIdentPart(text.charCodeAt(k))) k++;
        push('timespan', start, k);
        i = k;
        continue;
      }
      push('number', start, j);
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      push('ident', start, j);
      i = j;
      continue;
    }
    const p = PUNCTS.find((s) => text.startsWith(s, i));
    if (p) {
      push('punct', start, i + p.length);
      i += p.length;
      continue;
    }
    // an unknown character: one bad token per run of them
    let j = i + 1;
    while (j < n && !/[\s\w'"(){}[\]|,;.]/.test(text[j]!)) j++;
    push('bad', start, j, { error: `unexpected character '${text.slice(start, j)}'` });
    i = j;
  }
  tokens.push({ kind: 'eof', text: '', span: { start: n, end: n }, spaced: true });
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '/': '/' };

function readQuoted(text: string, q: number): { end: number; value: string; error?: string } {
  const quote = text[q]!;
  let out = '';
  let i = q + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === quote) return { end: i + 1, value: out };
    if (ch === '\n' || ch === '\r') break;
    if (ch === '\\') {
      const e = text[i + 1];
      if (e === undefined) break;
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
        i += 4;
        continue;
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) return { end: skipToQuote(text, i + 2, quote), value: out, error: `invalid escape sequence '\\${e}' in string literal` };
      out += mapped;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  return { end: i, value: out, error: 'unterminated string literal' };
}

function skipToQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\n') return i;
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === quote) return i + 1;
  }
  return text.length;
}

/** Verbatim strings: no escapes; a doubled quote stands for one quote. */
function readVerbatim(text: string, q: number): { end: number; value: string; error?: string } {
  const quote = text[q]!;
  let out = '';
  let i = q + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === quote) {
      if (text[i + 1] === quote) {
        out += quote;
        i += 2;
        continue;
      }
      return { end: i + 1, value: out };
    }
    if (ch === '\n' || ch === '\r') break;
    out += ch;
    i++;
  }
  return { end: i, value: out, error: 'unterminated string literal' };
}
