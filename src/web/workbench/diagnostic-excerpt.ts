/**
 * The line a workbench diagnostic is about, with its span marked and a caret line under it, as `kqlite check`
 * prints it: the list under the editor says where the problem is even when the editor is scrolled elsewhere
 * or could not load. A long line (a pasted one-line query) is cut to a window around the span.
 */

export interface DiagnosticExcerpt {
  /** 1-based line number of the span's start. */
  line: number;
  /** The shown part of the line: text before the span, the span (on this line), text after it. */
  before: string;
  marked: string;
  after: string;
  /** Whether the line was cut before `before` / after `after` (shown as "…"). */
  cutBefore: boolean;
  cutAfter: boolean;
}

/** Characters of context kept before the span on a long line, and the widest excerpt shown. */
const LEAD = 40;
const WIDTH = 120;

/** The excerpt of `text` for the span [start, end) (offsets into `text`); tabs are shown as one space. */
export function diagnosticExcerpt(text: string, start: number, end: number): DiagnosticExcerpt {
  const at = Math.max(0, Math.min(start, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  const lineEnd = nl < 0 ? text.length : nl;
  const line = text.slice(0, lineStart).split('\n').length;
  // the span on this line only; an empty span (a missing token) still gets one caret
  const spanEnd = Math.max(at, Math.min(Math.max(end, at), lineEnd));
  let from = lineStart;
  let to = lineEnd;
  if (lineEnd - lineStart > WIDTH) {
    from = Math.max(lineStart, at - LEAD);
    to = Math.min(lineEnd, Math.max(spanEnd, from + WIDTH));
  }
  const show = (s: string) => s.replace(/\t/g, ' ').replace(/\r/g, '');
  return {
    line,
    before: show(text.slice(from, at)),
    marked: show(text.slice(at, spanEnd)),
    after: show(text.slice(spanEnd, to)),
    cutBefore: from > lineStart,
    cutAfter: to < lineEnd,
  };
}
