/**
 * `evaluate ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupColumn [, ExtraKey ...] [, return_unmatched])`
 * and `ipv6_lookup(...)` (same arguments): each input row is joined with the lookup row whose network
 * (an address with an optional /prefix) contains the row's address, and whose extra key columns (same
 * names on both sides) are equal. When several networks contain it, the most specific (longest prefix)
 * wins. Unmatched rows are dropped unless return_unmatched is true (then the lookup columns are null).
 * Columns as documented: ipv4_lookup gives the input columns then the lookup table's; ipv6_lookup the
 * lookup table's then the input's. Lookups are hashed per prefix length, so each row costs at most one
 * probe per prefix length present in the table.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { parseIpv4 } from '../../functions/ip.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { gatherColumn, readCell } from '../../storage/builders.js';
import type { Column } from '../../storage/column.js';
import { valueKey } from '../../values/compare.js';
import { QueryError, type Value } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';

interface Family {
  word: string;
  bits: number;
  /** An address (with optional /prefix) as its bits from the top, and the prefix length. */
  parse(text: Value): { bits: bigint; prefix: number } | null;
  lookupFirst: boolean;
}

const IPV4: Family = {
  word: 'ipv4_lookup',
  bits: 32,
  parse: (t) => {
    const p = parseIpv4(t);
    return p ? { bits: BigInt(p[0]), prefix: p[1] } : null;
  },
  lookupFirst: false,
};

const IPV6: Family = { word: 'ipv6_lookup', bits: 128, parse: parseIpv6, lookupFirst: true };

export const ipv4Lookup = (op: EvaluateOp, input: Relation, cx: OpContext) => ipLookup(IPV4, op, input, cx);
export const ipv6Lookup = (op: EvaluateOp, input: Relation, cx: OpContext) => ipLookup(IPV6, op, input, cx);

/** `a:b::c[/n]` (and an embedded dotted IPv4 tail) → 128 bits and the prefix length, or null. */
export function parseIpv6(text: Value): { bits: bigint; prefix: number } | null {
  if (typeof text !== 'string') return null;
  const m = /^\s*([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?\s*$/.exec(text);
  if (!m) return null;
  let addr = m[1]!;
  const prefix = m[2] === undefined ? 128 : Number(m[2]);
  if (prefix > 128) return null;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (tail) {
    const v4 = parseIpv4(tail[0]);
    if (!v4) return null;
    addr = addr.slice(0, tail.index) + ((v4[0] >>> 16).toString(16) + ':' + (v4[0] & 0xffff).toString(16));
  }
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let bits = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    bits = (bits << 16n) | BigInt(parseInt(g, 16));
  }
  return { bits, prefix };
}

function ipLookup(family: Family, op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const positional = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  const named = op.call.args.filter((a) => a.kind === 'NamedArg') as { name: { name: string }; value: Expr }[];
  const [tableArg, sourceArg, networkArg, ...more] = positional;
  if (!tableArg || sourceArg?.kind !== 'NameRef' || networkArg?.kind !== 'NameRef') {
    throw new QueryError(`${family.word} takes (LookupTable, SourceKey, LookupKey [, ExtraKey ...] [, return_unmatched])`);
  }
  // a trailing boolean argument is return_unmatched; the other extra arguments are key columns
  let unmatchedArg: Expr | undefined = named.find((n) => n.name.name === 'return_unmatched')?.value;
  const last = more[more.length - 1];
  if (!unmatchedArg && last && last.kind !== 'NameRef') unmatchedArg = more.pop();
  const returnUnmatched = unmatchedArg ? compileOn(cx, { columns: [], length: 1 }, unmatchedArg).eval(0) === true : false;
  const extraKeys = more.map((k) => {
    if (k.kind !== 'NameRef') throw new QueryError(`${family.word}: extra keys are column names`);
    return k.name;
  });

  const left = materialize(input);
  const right = materialize(cx.rt.evalTabular(tableArg, cx.env));
  const col = (rel: Relation, name: string, side: string): Column => {
    const c = rel.columns.find((x) => x.name === name)?.column;
    if (!c) throw new QueryError(`${family.word}: the ${side} has no column '${name}'`);
    return c;
  };
  const sourceCol = col(left, sourceArg.name, 'input');
  const networkCol = col(right, networkArg.name, 'lookup table');
  const leftExtra = extraKeys.map((k) => col(left, k, 'input'));
  const rightExtra = extraKeys.map((k) => col(right, k, 'lookup table'));

  // lookup rows by prefix length, keyed by the masked network bits (and the extra keys)
  const byPrefix = new Map<number, Map<string, number>>();
  const maskOf = (prefix: number) => (prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(family.bits - prefix));
  for (let i = 0; i < right.length; i++) {
    const net = family.parse(readCell(networkCol, i));
    if (!net) continue;
    const key = (net.bits & maskOf(net.prefix)).toString(16) + rightExtra.map((c) => '\u0001' + valueKey(readCell(c, i))).join('');
    let m = byPrefix.get(net.prefix);
    if (!m) byPrefix.set(net.prefix, (m = new Map()));
    if (!m.has(key)) m.set(key, i);
  }
  const prefixes = [...byPrefix.keys()].sort((a, b) => b - a);
  const leftRows: number[] = [];
  const rightRows: number[] = [];
  for (let i = 0; i < left.length; i++) {
    const ip = family.parse(readCell(sourceCol, i));
    let match = -1;
    if (ip) {
      const extra = leftExtra.map((c) => '\u0001' + valueKey(readCell(c, i))).join('');
      for (const p of prefixes) {
        const hit = byPrefix.get(p)!.get((ip.bits & maskOf(p)).toString(16) + extra);
        if (hit !== undefined) {
          match = hit;
          break;
        }
      }
    }
    if (match < 0 && !returnUnmatched) continue;
    leftRows.push(i);
    rightRows.push(match);
  }
  const li = Int32Array.from(leftRows);
  const ri = Int32Array.from(rightRows);
  const leftCols = left.columns.map((c) => ({ name: c.name, column: gatherColumn(c.column, li) }));
  const taken = new Set(left.columns.map((c) => c.name));
  // the lookup table's columns, less the extra keys the input already has
  const rightCols = right.columns.filter((c) => !extraKeys.includes(c.name) || !taken.has(c.name)).map((c) => ({ name: c.name, column: gatherColumn(c.column, ri) }));
  const columns = family.lookupFirst ? [...rightCols, ...leftCols] : [...leftCols, ...rightCols];
  return { columns, length: li.length };
}
