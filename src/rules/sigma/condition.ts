/**
 * Sigma conditions: `and`, `or`, `not` (not binds tightest, then and, then or), parentheses, search
 * identifiers, and `1 of x*` / `all of x*` / `N of x*` / `... of them` (`them`: every search whose name does
 * not start with `_`; a pattern's `*` matches any characters). The old aggregation syntax
 * (`... | count() by x > 5`) is refused with a reason: it needs a time window kqlite's hunts do not have.
 */
export type Cond =
  | { op: 'and' | 'or'; args: Cond[] }
  | { op: 'not'; arg: Cond }
  | { op: 'ref'; name: string }
  | { op: 'of'; count: number | 'all'; names: string[]; pattern: string };

export type CondParse = { ok: true; cond: Cond } | { ok: false; message: string };

function tokens(text: string): string[] | string {
  const out: string[] = [];
  const re = /\s*(\(|\)|[A-Za-z0-9_*.\-]+|\S)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text))) {
    last = re.lastIndex;
    out.push(m[1]!);
  }
  if (text.slice(last).trim()) return `cannot read '${text.slice(last).trim()}'`;
  return out;
}

/** Parses one condition against the rule's search names. */
export function parseCondition(text: string, searches: readonly string[]): CondParse {
  if (text.includes('|')) return { ok: false, message: `aggregation ('${text.slice(text.indexOf('|')).trim()}') is not supported: it counts events over a time window, which a window-free hunt cannot do; use a correlation rule instead` };
  const toks = tokens(text);
  if (typeof toks === 'string') return { ok: false, message: `condition: ${toks}` };
  let i = 0;
  const peek = () => toks[i]?.toLowerCase();
  const fail = (msg: string): never => {
    throw new Error(msg);
  };
  const matching = (pattern: string): string[] => {
    if (pattern === 'them') return searches.filter((s) => !s.startsWith('_'));
    const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
    return searches.filter((s) => re.test(s));
  };
  const primary = (): Cond => {
    const t = toks[i];
    if (t === undefined) return fail('the condition ends too early');
    if (t === '(') {
      i++;
      const c = or();
      if (toks[i] !== ')') fail("a '(' is not closed");
      i++;
      return c;
    }
    const low = t.toLowerCase();
    if (low === 'not') {
      i++;
      return { op: 'not', arg: primary() };
    }
    if ((low === 'all' || /^\d+$/.test(low)) && toks[i + 1]?.toLowerCase() === 'of') {
      i += 2;
      const pattern = toks[i++];
      if (!pattern || pattern === '(' || pattern === ')') return fail(`'${t} of' needs a search pattern or 'them'`);
      const names = matching(pattern);
      if (!names.length) fail(`'${t} of ${pattern}' matches no search identifier`);
      return { op: 'of', count: low === 'all' ? 'all' : Number(low), names, pattern };
    }
    if (low === 'and' || low === 'or' || t === ')') return fail(`unexpected '${t}'`);
    i++;
    if (!searches.includes(t)) fail(`'${t}' is not a search identifier of this rule (it has ${searches.join(', ')})`);
    return { op: 'ref', name: t };
  };
  const and = (): Cond => {
    const args = [primary()];
    while (peek() === 'and') {
      i++;
      args.push(primary());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const or = (): Cond => {
    const args = [and()];
    while (peek() === 'or') {
      i++;
      args.push(and());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  try {
    const cond = or();
    if (i < toks.length) fail(`unexpected '${toks[i]}'`);
    return { ok: true, cond };
  } catch (e) {
    return { ok: false, message: `condition '${text.trim()}': ${(e as Error).message}` };
  }
}
