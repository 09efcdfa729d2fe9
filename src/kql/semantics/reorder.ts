/**
 * The column order `project-reorder` produces, shared by the binder and the engine so both agree: for each
 * pattern in turn, the columns it matches that no earlier pattern took, sorted by name when the pattern asks
 * (`asc`/`desc`: ordinal; `granny-asc`/`granny-desc`: digit runs compared as numbers, so a2 < a10), then the
 * columns no pattern matched, in their order.
 */
export interface ReorderSpec {
  pattern: { pattern: string };
  order?: 'asc' | 'desc' | 'granny-asc' | 'granny-desc';
}

function globTest(p: string): (name: string) => boolean {
  if (!p.includes('*')) return (n) => n === p;
  const re = new RegExp('^' + p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return (n) => re.test(n);
}

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Natural ("granny") order: runs of digits compare by their numeric value. */
function natural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    const c = /^\d/.test(x) && /^\d/.test(y) ? Number(x) - Number(y) || ordinal(x, y) : ordinal(x, y);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

export function reorderColumns<T extends { name: string }>(columns: readonly T[], specs: readonly ReorderSpec[]): T[] {
  const first: T[] = [];
  for (const spec of specs) {
    const t = globTest(spec.pattern.pattern);
    const matched = columns.filter((c) => t(c.name) && !first.includes(c));
    if (spec.order === 'asc') matched.sort((a, b) => ordinal(a.name, b.name));
    else if (spec.order === 'desc') matched.sort((a, b) => ordinal(b.name, a.name));
    else if (spec.order === 'granny-asc') matched.sort((a, b) => natural(a.name, b.name));
    else if (spec.order === 'granny-desc') matched.sort((a, b) => natural(b.name, a.name));
    first.push(...matched);
  }
  return [...first, ...columns.filter((c) => !first.includes(c))];
}
