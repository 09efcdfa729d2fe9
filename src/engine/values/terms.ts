/**
 * Kusto's term semantics for `has` and friends: a string is split into maximal runs of alphanumeric
 * characters (terms). `has` matches when the needle sits on term boundaries at both ends, so a multi-term
 * needle such as `server.action1.com` matches `https://SERVER.ACTION1.COM/x` but not `notaction1.com`.
 * `hasprefix` needs a boundary only before the needle, `hassuffix` only after. Case-insensitive unless _cs.
 */

export function isTermChar(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return /[\p{L}\p{N}]/u.test(String.fromCharCode(code));
}

type Mode = 'has' | 'prefix' | 'suffix';

function termMatch(haystack: string, needle: string, mode: Mode): boolean {
  if (needle.length === 0) return true;
  const needStart = mode !== 'suffix' && isTermChar(needle.charCodeAt(0));
  const needEnd = mode !== 'prefix' && isTermChar(needle.charCodeAt(needle.length - 1));
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const okStart = !needStart || at === 0 || !isTermChar(haystack.charCodeAt(at - 1));
    const end = at + needle.length;
    const okEnd = !needEnd || end === haystack.length || !isTermChar(haystack.charCodeAt(end));
    if (okStart && okEnd) return true;
    from = at + 1;
  }
}

export function has(haystack: string, needle: string, caseSensitive = false): boolean {
  return caseSensitive ? termMatch(haystack, needle, 'has') : termMatch(haystack.toLowerCase(), needle.toLowerCase(), 'has');
}

/**
 * `has_any` (`all` false) or `has_all` (`all` true) of `needles` in `haystack`: each needle's `has`, with
 * the haystack lower-cased once for all of them and the needles once for every haystack (a list of 200
 * terms lower-cased the text 200 times per string).
 */
export function hasListTest(needles: readonly string[], caseSensitive: boolean, all: boolean): (haystack: string) => boolean {
  const ns = caseSensitive ? [...needles] : needles.map((n) => n.toLowerCase());
  const count = ns.length;
  return (haystack) => {
    const h = caseSensitive ? haystack : haystack.toLowerCase();
    for (let k = 0; k < count; k++) if (termMatch(h, ns[k]!, 'has') !== all) return !all;
    return all;
  };
}

export function hasPrefix(haystack: string, needle: string, caseSensitive = false): boolean {
  return caseSensitive ? termMatch(haystack, needle, 'prefix') : termMatch(haystack.toLowerCase(), needle.toLowerCase(), 'prefix');
}

export function hasSuffix(haystack: string, needle: string, caseSensitive = false): boolean {
  return caseSensitive ? termMatch(haystack, needle, 'suffix') : termMatch(haystack.toLowerCase(), needle.toLowerCase(), 'suffix');
}

/** The terms of a string (maximal alphanumeric runs), lower-cased: what a term index stores. */
export function terms(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const t = i < s.length && isTermChar(s.charCodeAt(i));
    if (t && start < 0) start = i;
    else if (!t && start >= 0) {
      out.push(s.slice(start, i).toLowerCase());
      start = -1;
    }
  }
  return out;
}
