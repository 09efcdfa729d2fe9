/**
 * Text from outside (rule names and file names from a synced repository, telemetry values, table names) made
 * safe to print on a terminal: control characters other than tab and newline (ESC starts the sequences that
 * recolour, move the cursor, retitle the window or write to the clipboard; CR overwrites a line), DEL, the C1
 * controls (U+009B is CSI on many terminals) and the bidirectional overrides and isolates (which show text
 * in another order than it is: "Trojan Source") are written as visible escapes (`\x1b`, `\u202e`). Used
 * for every text meant for people (tables, problem lines, error messages); JSON output escapes on its own.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

export function printable(text: string): string {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE, escape) : text;
}

/** `printable` for a single line: newlines and tabs escaped too (a name that should not break its line). */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}
