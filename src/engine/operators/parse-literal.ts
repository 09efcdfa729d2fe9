/**
 * `parse` of text columns between literals without the regex engine: for a `kind=simple` pattern without
 * flags whose columns are all strings, the regex parse.ts builds (`^(?:.*?lit1(?P<c0>.*?)lit2...(.*))`,
 * lazy everywhere but a last column or star) matches exactly where each literal is found by `indexOf` at
 * its earliest place after the previous one: taking a later place for a literal only leaves less text for
 * the rest, so the leftmost-lazy match is the earliest chain. Columns or stars next to each other: the
 * first one gets '' (lazy). `.` does not match a line feed and re2js reads code points, so texts with a
 * line feed or a surrogate stay on the regex (test/engine/regex-prefilter.test.ts compares both).
 */
import type { ParseOp, ParseWhereOp } from '../../kql/syntax/ast.js';

type Part = ParseOp['pattern'][number] | ParseWhereOp['pattern'][number];

/** Fills `out` with each column's text and says whether the pattern matched; undefined when this text needs the regex. */
export type LiteralMatcher = (text: string, out: string[]) => boolean | undefined;

const NEEDS_REGEX = /[\n\ud800-\udfff]/;

/** The matcher for `pattern`, or undefined when only the regex gives its meaning. */
export function literalMatcher(pattern: readonly Part[], kind: string, flags: string): LiteralMatcher | undefined {
  if (kind !== 'simple' || flags) return undefined;
  if (pattern.some((p) => p.kind === 'ParseColumn' && p.type !== undefined && p.type !== 'string')) return undefined;
  // steps: a literal (string), a column (its index) or a star (-1)
  const steps: (string | number)[] = [];
  let columns = 0;
  for (const p of pattern) steps.push(p.kind === 'ParseLiteral' ? p.value : p.kind === 'ParseColumn' ? columns++ : -1);
  return (text, out) => {
    if (NEEDS_REGEX.test(text)) return undefined;
    let pos = 0;
    // the column or star waiting for the next literal to end it (-2: none)
    let pending = -2;
    for (const s of steps) {
      if (typeof s === 'string') {
        if (pending === -2) {
          if (!text.startsWith(s, pos)) return false;
        } else {
          const at = text.indexOf(s, pos);
          if (at < 0) return false;
          if (pending >= 0) out[pending] = text.slice(pos, at);
          pos = at;
          pending = -2;
        }
        pos += s.length;
      } else {
        // a wildcard right after another: the earlier one takes nothing
        if (pending >= 0) out[pending] = '';
        pending = s;
      }
    }
    // the last part a column or star: it takes the rest
    if (pending >= 0) out[pending] = text.slice(pos);
    return true;
  };
}
