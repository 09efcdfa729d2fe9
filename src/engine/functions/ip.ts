/** IPv4 functions: parsing with optional CIDR suffix, ranges, private ranges, matching inside text. */
import type { Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

/** `a.b.c.d[/n]` → [address as unsigned 32-bit number, prefix length], or null. */
export function parseIpv4(text: Value): [number, number] | null {
  if (typeof text !== 'string') return null;
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return null;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return null;
  return [((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!, prefix];
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const masked = (addr: number, prefix: number) => (addr & mask(prefix)) >>> 0;

function inRange(ip: Value, range: Value): boolean | null {
  const a = parseIpv4(ip);
  const r = parseIpv4(range);
  if (!a || !r) return null;
  const p = Math.min(a[1], r[1]);
  return masked(a[0], p) === masked(r[0], p);
}

/** A prefix has_ipv4_prefix accepts: a whole address, or 1-3 octets each followed by a dot. */
const isIpv4Prefix = (p: string) => parseIpv4(p) !== null || /^(\d{1,3}\.){1,3}$/.test(p);

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function format(addr: number): string {
  return [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255].join('.');
}

/** IPv4 addresses standing alone in text (not part of a longer dotted or numeric run). */
function ipsInText(text: string): string[] {
  const out: string[] = [];
  const re = /(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.]*\d)/g;
  for (const m of text.matchAll(re)) if (parseIpv4(m[1]!)) out.push(m[1]!);
  return out;
}

export const IP_FUNCTIONS: ScalarFunction[] = [
  fn('parse_ipv4', 1, 1, ([v]) => { const a = parseIpv4(v); return a ? masked(a[0], a[1]) : null; }),
  fn('parse_ipv4_mask', 2, 2, ([v, p]) => { const a = parseIpv4(v); return a && typeof p === 'number' ? masked(a[0], Math.min(a[1], p)) : null; }),
  fn('ipv4_is_private', 1, 1, ([v]) => { const a = parseIpv4(v); return a ? PRIVATE.some((r) => inRange(v, r)) : null; }),
  fn('ipv4_is_in_range', 2, 2, ([v, r]) => inRange(v, r)),
  fn('ipv4_is_in_any_range', 2, 64, ([v, ...rs]) => {
    const ranges = rs.length === 1 && Array.isArray(rs[0]) ? (rs[0] as Value[]) : rs;
    if (!parseIpv4(v)) return null;
    return ranges.some((r) => inRange(v, r) === true);
  }),
  fn('ipv4_is_match', 2, 3, ([a, b, p]) => {
    const x = parseIpv4(a);
    const y = parseIpv4(b);
    if (!x || !y) return null;
    const prefix = Math.min(x[1], y[1], typeof p === 'number' ? p : 32);
    return masked(x[0], prefix) === masked(y[0], prefix);
  }),
  fn('ipv4_compare', 2, 3, ([a, b, p]) => {
    const x = parseIpv4(a);
    const y = parseIpv4(b);
    if (!x || !y) return null;
    const prefix = Math.min(x[1], y[1], typeof p === 'number' ? p : 32);
    const d = masked(x[0], prefix) - masked(y[0], prefix);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }),
  fn('ipv4_netmask_suffix', 1, 1, ([v]) => { const a = parseIpv4(v); return a ? a[1] : null; }),
  fn('format_ipv4', 1, 2, ([v, p]) => {
    if (typeof p === 'number' && (p < 0 || p > 32)) return '';
    const a = typeof v === 'number' ? ([v >>> 0, 32] as [number, number]) : parseIpv4(v);
    if (!a) return '';
    return format(masked(a[0], Math.min(a[1], typeof p === 'number' ? p : 32)));
  }),
  fn('format_ipv4_mask', 1, 2, ([v, p]) => {
    if (typeof p === 'number' && (p < 0 || p > 32)) return '';
    const a = typeof v === 'number' ? ([v >>> 0, 32] as [number, number]) : parseIpv4(v);
    if (!a) return '';
    const prefix = Math.min(a[1], typeof p === 'number' ? p : 32);
    return `${format(masked(a[0], prefix))}/${prefix}`;
  }),
  fn('has_ipv4', 2, 2, ([text, ip]) => typeof text === 'string' && typeof ip === 'string' && ipsInText(text).includes(ip)),
  fn('has_ipv4_prefix', 2, 2, ([text, prefix]) => typeof text === 'string' && typeof prefix === 'string' && isIpv4Prefix(prefix) && ipsInText(text).some((x) => x.startsWith(prefix))),
  fn('has_any_ipv4', 2, 64, ([text, ...ips]) => {
    const list = ips.length === 1 && Array.isArray(ips[0]) ? (ips[0] as Value[]) : ips;
    const found = typeof text === 'string' ? ipsInText(text) : [];
    return list.some((ip) => found.includes(String(ip)));
  }),
  fn('has_any_ipv4_prefix', 2, 64, ([text, ...ps]) => {
    const list = ps.length === 1 && Array.isArray(ps[0]) ? (ps[0] as Value[]) : ps;
    const found = typeof text === 'string' ? ipsInText(text) : [];
    return list.some((p) => isIpv4Prefix(String(p)) && found.some((x) => x.startsWith(String(p))));
  }),
];
