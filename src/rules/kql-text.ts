/** Writing KQL text from data: string literals and `has_any` lists that are always valid KQL. */

/** A KQL string literal for any text (single quotes, backslash and quote escaped). */
export function kqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** `(a, b, c)` with each literal on its own line once the list grows. */
export function kqlList(values: readonly string[], indent = '        '): string {
  const lits = values.map(kqlString);
  if (lits.join(', ').length <= 70) return `(${lits.join(', ')})`;
  return `(\n${lits.map((l) => indent + l).join(',\n')}\n${indent.slice(4)})`;
}
