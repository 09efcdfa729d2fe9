/**
 * The RMM inventory: every tool the findings show, on which devices and by which users, first/last seen,
 * and its state there: sanctioned (an active suppression covers it), unwanted (triaged malicious) or
 * observed. A device running a second tool beside a sanctioned one is flagged: that is the pattern of an
 * intruder bringing their own RMM into an estate that already has one.
 */
import type { Db } from './db.js';
import { listFindings } from './findings-store.js';

export type InventoryState = 'sanctioned' | 'observed' | 'unwanted';

export interface InventoryEntry {
  tool: string;
  device: string;
  users: string[];
  firstSeen: string;
  lastSeen: string;
  findings: number;
  rules: string[];
  state: InventoryState;
  /** Set when this tool is not sanctioned here but another tool on the same device is. */
  secondTool?: { sanctioned: string[] };
}

export function buildInventory(db: Db, now = new Date().toISOString()): InventoryEntry[] {
  const entries = new Map<string, InventoryEntry & { sanctionedFindings: number; malicious: number }>();
  for (const f of listFindings(db, {}, now)) {
    if (!f.tool) continue;
    const device = f.device ?? '(unknown device)';
    const k = `${f.tool}\u0000${device}`;
    let e = entries.get(k);
    if (!e) {
      e = { tool: f.tool, device, users: [], firstSeen: f.firstSeen, lastSeen: f.lastSeen, findings: 0, rules: [], state: 'observed', sanctionedFindings: 0, malicious: 0 };
      entries.set(k, e);
    }
    e.findings++;
    if (f.user && !e.users.includes(f.user)) e.users.push(f.user);
    if (!e.rules.includes(f.ruleName)) e.rules.push(f.ruleName);
    if (f.firstSeen < e.firstSeen) e.firstSeen = f.firstSeen;
    if (f.lastSeen > e.lastSeen) e.lastSeen = f.lastSeen;
    if (f.suppressedBy !== undefined) e.sanctionedFindings++;
    if (f.status === 'malicious') e.malicious++;
  }
  const all = [...entries.values()];
  for (const e of all) e.state = e.malicious ? 'unwanted' : e.sanctionedFindings === e.findings ? 'sanctioned' : 'observed';
  const sanctionedByDevice = new Map<string, string[]>();
  for (const e of all) if (e.state === 'sanctioned') sanctionedByDevice.set(e.device, [...(sanctionedByDevice.get(e.device) ?? []), e.tool]);
  for (const e of all) {
    const others = (sanctionedByDevice.get(e.device) ?? []).filter((t) => t !== e.tool);
    if (e.state !== 'sanctioned' && others.length) e.secondTool = { sanctioned: others };
  }
  return all
    .map(({ sanctionedFindings: _s, malicious: _m, ...e }) => ({ ...e, users: e.users.sort(), rules: e.rules.sort() }))
    .sort((a, b) => a.tool.localeCompare(b.tool) || a.device.localeCompare(b.device));
}
