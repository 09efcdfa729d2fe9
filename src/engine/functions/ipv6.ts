/**
 * IPv6 functions (IPv4 addresses take part as IPv4-mapped ::ffff:a.b.c.d, their /n prefix counting from bit
 * 96), and ipv4_range_to_cidr_list. Addresses are 128-bit BigInts.
 */
import type { Value } from '../values/value.js';
import { parseIpv4 } from './ip.js';
import { fn, type ScalarFunction } from './types.js';

const ALL = (1n << 128n) - 1n;
const MAPPED = 0xffffn << 32n;

/** `addr[/n]` → [address, prefix length], or null. A dotted IPv4 tail makes the address IPv4-mapped. */
export function parseIpv6(v: Value): [bigint, number] | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const slash = s.indexOf('/');
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const prefixText = slash < 0 ? undefined : s.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const v4 = parseIpv4(addrText);
  if (v4) {
    const p = prefixText === undefined ? 32 : Number(prefixText);
    if (p > 32) return null;
    return [MAPPED | BigInt(v4[0]), 96 + p];
  }
  const addr = parseIpv6Address(addrText);
  if (!addr) return null;
  let prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (addr.ipv4Tail) {
    // an embedded IPv4 address is read as IPv4-mapped, and its prefix counts IPv4 bits
    if (prefixText !== undefined) prefix = Number(prefixText) > 32 ? -1 : 96 + Number(prefixText);
    addr.value = MAPPED | (addr.value & 0xffffffffn);
  }
  if (prefix < 0 || prefix > 128) return null;
  return [addr.value, prefix];
}

function parseIpv6Address(s: string): { value: bigint; ipv4Tail: boolean } | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(g) ? parseIpv4(g) : null;
        if (!v4) return null;
        out.push(v4[0] >>> 16, v4[0] & 0xffff);
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let value = 0n;
  for (const g of all) value = (value << 16n) | BigInt(g);
  return { value, ipv4Tail: s.includes('.') };
}

const maskOf = (prefix: number) => (prefix <= 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL);

function formatIpv6(addr: bigint): string {
  const out: string[] = [];
  for (let i = 7; i >= 0; i--) out.push(((addr >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, '0'));
  return out.join(':');
}

/** Both addresses masked to the shortest of their prefixes and `limit`; null when either does not parse. */
function compared(a: Value, b: Value, limit: Value): number | null {
  const x = parseIpv6(a);
  const y = parseIpv6(b);
  if (!x || !y) return null;
  if (limit !== null && limit !== undefined && (typeof limit !== 'number' || limit < 0 || limit > 128)) return null;
  const m = maskOf(Math.min(x[1], y[1], typeof limit === 'number' ? limit : 128));
  const d = (x[0] & m) - (y[0] & m);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function inRange(ip: Value, range: Value): boolean | null {
  const a = parseIpv6(ip);
  const r = parseIpv6(range);
  if (!a || !r) return null;
  const m = maskOf(r[1]);
  return (a[0] & m) === (r[0] & m);
}

/** The CIDR blocks that exactly cover [start, end] (largest aligned block first). */
function rangeToCidrs(start: Value, end: Value): Value {
  const a = parseIpv4(start);
  const b = parseIpv4(end);
  if (!a || !b || a[1] !== 32 || b[1] !== 32) return null;
  let lo = a[0];
  const hi = b[0];
  const out: string[] = [];
  while (lo <= hi) {
    let size = 32;
    while (size > 0) {
      const block = 2 ** (32 - size + 1);
      if (lo % block !== 0 || lo + block - 1 > hi) break;
      size--;
    }
    out.push(`${[lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255].join('.')}/${size}`);
    lo += 2 ** (32 - size);
  }
  return out;
}

export const IPV6_FUNCTIONS: ScalarFunction[] = [
  fn('parse_ipv6', 1, 1, ([v]) => { const a = parseIpv6(v); return a ? formatIpv6(a[0] & maskOf(a[1])) : null; }),
  fn('parse_ipv6_mask', 2, 2, ([v, p]) => {
    const a = parseIpv6(v);
    if (!a || typeof p !== 'number' || p < 0 || p > 128) return null;
    return formatIpv6(a[0] & maskOf(Math.min(a[1], p)));
  }),
  fn('ipv6_compare', 2, 3, ([a, b, p]) => compared(a, b, p ?? null)),
  fn('ipv6_is_match', 2, 3, ([a, b, p]) => { const c = compared(a, b, p ?? null); return c === null ? null : c === 0; }),
  fn('ipv6_is_in_range', 2, 2, ([ip, range]) => inRange(ip, range)),
  fn('ipv6_is_in_any_range', 2, 64, ([ip, ...rs]) => {
    const ranges = rs.length === 1 && Array.isArray(rs[0]) ? (rs[0] as Value[]) : rs;
    if (!parseIpv6(ip)) return null;
    return ranges.some((r) => inRange(ip, r) === true);
  }),
  fn('ipv4_range_to_cidr_list', 2, 2, ([a, b]) => rangeToCidrs(a, b)),
];
