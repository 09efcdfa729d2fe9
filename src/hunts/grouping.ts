/**
 * Turns a rule's result rows into observations: one per result group. The group is what the rule itself
 * groups by (the `by` columns of its last `summarize`), so "one finding per device and RemoteUrl" falls out
 * of the rule's own logic; rules without a summarize get one group per device. The well-known Defender
 * columns give each group its device, user, signer, time span, count and ReportIds.
 */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../common/lazy-package.js';
import { rowsAsObjects } from '../engine/format/encode.js';
import type { Table } from '../engine/storage/column.js';
import { assignmentName } from '../kql/semantics/naming.js';
import { parse, walk, type SummarizeOp } from '../kql/syntax/index.js';
import { EVIDENCE_SAMPLE, MAX_REPORT_IDS, type Observation } from './types.js';

/** node:crypto when a hash is first made: commands that reach this module without hashing do not load it. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');

const DEVICE_COLUMNS = ['DeviceName', 'DeviceId', 'Computer'];
const USER_COLUMNS = ['Users', 'Accounts', 'InitiatingProcessAccountUpn', 'AccountUpn', 'InitiatingProcessAccountName', 'AccountName', 'UserPrincipalName', 'Account'];
const SIGNER_COLUMNS = ['Signer', 'InitiatingProcessSigner'];
const FIRST_COLUMNS = ['FirstSeen', 'FirstSeenTime', 'StartTime', 'FirstEvent', 'min_Timestamp', 'min_TimeGenerated'];
const LAST_COLUMNS = ['LastSeen', 'LastSeenTime', 'EndTime', 'LastEvent', 'max_Timestamp', 'max_TimeGenerated'];
const TIME_COLUMNS = ['Timestamp', 'TimeGenerated'];
const COUNT_COLUMNS = ['Count', 'count_', 'EventCount', 'Events', 'TotalCount'];
// Windows event rows (WindowsEvent, SecurityEvent) have no ReportId: their event record id stands in
const REPORT_COLUMNS = ['Report', 'ReportId', 'ReportIds', 'Reports', 'set_ReportId', 'list_ReportId', 'EventRecordId', 'SourceRecordId'];

/** The `by` column names of the query's last summarize (by source position), or undefined without one. */
export function groupColumnsOf(query: string): string[] | undefined {
  const { script } = parse(query);
  let last: SummarizeOp | undefined;
  walk(script, (n) => {
    if (n.kind === 'SummarizeOp' && (!last || n.span.start > last.span.start)) last = n as SummarizeOp;
  });
  if (!last) return undefined;
  let i = 0;
  return last.by.map((a) => assignmentName(a, () => `Column${++i}`));
}

function pick(row: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) if (row[n] !== undefined && row[n] !== null && row[n] !== '') return row[n];
  return undefined;
}

/** A cell as text; a set (make_set of users, say) gives its first element in sorted order. */
const asText = (v: unknown): string | undefined => {
  if (Array.isArray(v)) v = v.filter((x) => x !== null && x !== '').map(String).sort()[0];
  return v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
};

function reportIdsOf(row: Record<string, unknown>): string[] {
  const v = pick(row, REPORT_COLUMNS);
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  return v === undefined ? [] : [String(v)];
}

function holdsBigint(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (v === null || typeof v !== 'object') return false;
  return (Array.isArray(v) ? v : Object.values(v)).some(holdsBigint);
}

/** A value with every bigint (a long beyond ±2^53) as its digits, so JSON.stringify can store it exactly. */
function bigintsAsText(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(bigintsAsText);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bigintsAsText(x)]));
  return v;
}

export function stableId(...parts: string[]): string {
  return crypto().createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** Groups a rule's result table into observations, in the order groups first appear. */
export function observe(ruleId: string, query: string, table: Table, asOf: string): Observation[] {
  // evidence is kept as JSON in SQLite: a long beyond ±2^53 (a bigint) is kept as its exact digits, as text
  const rows = rowsAsObjects(table).map((r) => (holdsBigint(r) ? (bigintsAsText(r) as Record<string, unknown>) : r));
  const names = table.columns.map((c) => c.name);
  const by = groupColumnsOf(query)?.filter((n) => names.includes(n));
  const keyColumns = by?.length ? by : DEVICE_COLUMNS.filter((n) => names.includes(n)).slice(0, 1);
  const groups = new Map<string, Observation>();
  // each group's report ids as a set while rows arrive (a rule matching many rows would copy the list per row)
  const ids = new Map<Observation, Set<string>>();
  for (const row of rows) {
    const key: Record<string, unknown> = {};
    for (const k of keyColumns) key[k] = row[k] ?? null;
    const groupKey = keyColumns.length ? JSON.stringify(keyColumns.map((k) => key[k])) : JSON.stringify(row);
    const times = [asText(pick(row, FIRST_COLUMNS)), asText(pick(row, LAST_COLUMNS)), asText(pick(row, TIME_COLUMNS))].filter((t): t is string => !!t);
    const first = times.length ? times.reduce((a, b) => (a < b ? a : b)) : asOf;
    const last = times.length ? times.reduce((a, b) => (a > b ? a : b)) : asOf;
    const countCell = pick(row, COUNT_COLUMNS);
    const count = typeof countCell === 'number' ? countCell : 1;
    let g = groups.get(groupKey);
    if (!g) {
      g = {
        ruleId,
        groupKey,
        key,
        device: asText(pick(row, DEVICE_COLUMNS)),
        user: asText(pick(row, USER_COLUMNS)),
        signer: asText(pick(row, SIGNER_COLUMNS)),
        firstSeen: first,
        lastSeen: last,
        count: 0,
        reportIds: [],
        rows: [],
      };
      groups.set(groupKey, g);
    }
    if (first < g.firstSeen) g.firstSeen = first;
    if (last > g.lastSeen) g.lastSeen = last;
    g.count += count;
    let set = ids.get(g);
    if (!set) ids.set(g, (set = new Set()));
    for (const x of reportIdsOf(row)) {
      if (set.size >= MAX_REPORT_IDS) break;
      set.add(x);
    }
    if (g.rows.length < EVIDENCE_SAMPLE) g.rows.push(row);
  }
  for (const [g, set] of ids) g.reportIds = [...set];
  return [...groups.values()];
}

/**
 * The group key without its device columns: what tells one rule's findings on one device apart (the
 * `RemoteUrl` of a network rule, the `FileName` of a process rule), as display text. Empty for rules that
 * group by device alone.
 */
export function distinguishingKey(key: Record<string, unknown>): { column: string; value: string }[] {
  return Object.entries(key)
    .filter(([k]) => !DEVICE_COLUMNS.includes(k))
    .map(([column, v]) => ({ column, value: v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v) }));
}

/** Union of report ids, first-come order, bounded (the count says how many events there were). */
export function mergeIds(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(a);
  for (const x of b) {
    if (set.size >= MAX_REPORT_IDS) break;
    set.add(x);
  }
  return [...set];
}
