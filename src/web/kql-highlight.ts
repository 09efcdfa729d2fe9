/**
 * KQL syntax highlighting for read-only code (the rule page), from the project's own scanner: no editor
 * needed. The text is cut into segments that cover it exactly (concatenated they give the input back), each
 * with a class: operator words after `|`, keywords, functions (a name before `(`), strings, numbers and
 * timespans, comments (the scanner skips them, so they are found in the gaps between tokens).
 */
import { scan } from '../kql/syntax/scanner.js';
import { OPERATOR_WORDS } from '../kql/syntax/ast.js';

export type SegmentClass = 'op' | 'kw' | 'fn' | 'str' | 'num' | 'comment' | 'pipe' | 'punct' | 'bad' | 'id' | 'plain';
export interface Segment { text: string; cls: SegmentClass }

const KEYWORDS = new Set([
  'let', 'set', 'declare', 'alias', 'pattern', 'restrict', 'access', 'by', 'on', 'and', 'or', 'not', 'between',
  'in', 'in~', 'has', 'has_cs', 'has_any', 'has_all', 'hasprefix', 'hassuffix', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs', 'matches', 'regex', 'asc', 'desc', 'nulls', 'first',
  'last', 'with', 'kind', 'true', 'false', 'null', 'to', 'step', 'from', 'of', 'typeof', 'materialize',
  'datatable', 'print', 'range', 'inner', 'outer', 'leftouter', 'rightouter', 'fullouter', 'leftanti',
  'rightanti', 'leftsemi', 'rightsemi', 'innerunique', 'anti', 'semi',
]);

export function highlightKql(text: string): Segment[] {
  const out: Segment[] = [];
  const tokens = scan(text);
  let pos = 0;
  const gap = (end: number) => {
    // whitespace and comments between tokens
    while (pos < end) {
      const c = text.indexOf('//', pos);
      if (c < 0 || c >= end) {
        out.push({ text: text.slice(pos, end), cls: 'plain' });
        pos = end;
        break;
      }
      if (c > pos) out.push({ text: text.slice(pos, c), cls: 'plain' });
      let eol = c;
      while (eol < end && text[eol] !== '\n' && text[eol] !== '\r') eol++;
      out.push({ text: text.slice(c, eol), cls: 'comment' });
      pos = eol;
    }
  };
  let afterPipe = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'eof') break;
    gap(t.span.start);
    let cls: SegmentClass;
    let end = t.span.end;
    if (t.kind === 'string') cls = 'str';
    else if (t.kind === 'number' || t.kind === 'timespan') cls = 'num';
    else if (t.kind === 'bad') cls = 'bad';
    else if (t.kind === 'directive') cls = 'comment';
    else if (t.kind === 'punct') cls = t.text === '|' ? 'pipe' : 'punct';
    else {
      // hyphenated operator words (`project-away`, `mv-expand`) are three tokens with no space between
      let word = t.text;
      let j = i;
      while (tokens[j + 1]?.text === '-' && !tokens[j + 1]!.spaced && tokens[j + 2]?.kind === 'ident' && !tokens[j + 2]!.spaced
        && (word + '-' + tokens[j + 2]!.text) in OPERATOR_WORDS) {
        word += '-' + tokens[j + 2]!.text;
        j += 2;
      }
      const next = tokens[j + 1];
      if (afterPipe && word.toLowerCase() in OPERATOR_WORDS) {
        cls = 'op';
        end = tokens[j]!.span.end;
        i = j;
      } else if (next?.text === '(' && !KEYWORDS.has(word)) cls = 'fn';
      else if (KEYWORDS.has(word)) cls = 'kw';
      else cls = 'id';
    }
    out.push({ text: text.slice(t.span.start, end), cls });
    pos = end;
    afterPipe = t.kind === 'punct' && t.text === '|';
  }
  gap(text.length);
  return out;
}
