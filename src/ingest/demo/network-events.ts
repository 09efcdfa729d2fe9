/**
 * A small deterministic DeviceNetworkEvents sample for the quickstart: benign background traffic of an
 * organisation, sanctioned Action1 use on IT-admin hosts, planted abuse (TacticalRMM and mRemoteNG on user
 * laptops) and decoys a sloppy `has`/`contains` would match (`notaction1.com`, look-alike company names).
 * Same seed, same rows. The full telemetry generator (several tables, scenario manifest) builds on this.
 */
import type { Table } from '../../engine/storage/column.js';
import { tableFromRows } from '../../engine/storage/builders.js';
import type { Value } from '../../engine/values/value.js';

export const DEMO_COLUMNS = [
  { name: 'Timestamp', type: 'datetime' as const },
  { name: 'DeviceId', type: 'string' as const },
  { name: 'DeviceName', type: 'string' as const },
  { name: 'RemoteUrl', type: 'string' as const },
  { name: 'RemoteIP', type: 'string' as const },
  { name: 'InitiatingProcessFileName', type: 'string' as const },
  { name: 'InitiatingProcessVersionInfoCompanyName', type: 'string' as const },
  { name: 'InitiatingProcessVersionInfoProductName', type: 'string' as const },
  { name: 'InitiatingProcessAccountUpn', type: 'string' as const },
  { name: 'ReportId', type: 'long' as const },
];

const BENIGN: [string, string, string, string][] = [
  ['msedge.exe', 'Microsoft Corporation', 'Microsoft Edge', 'https://www.bing.com/search'],
  ['chrome.exe', 'Google LLC', 'Google Chrome', 'https://update.googleapis.com/service/update2'],
  ['Teams.exe', 'Microsoft Corporation', 'Microsoft Teams', 'https://teams.microsoft.com/api'],
  ['OneDrive.exe', 'Microsoft Corporation', 'Microsoft OneDrive', 'https://onedrive.live.com/'],
  ['svchost.exe', 'Microsoft Corporation', 'Microsoft® Windows® Operating System', 'https://settings-win.data.microsoft.com/'],
  ['MsSense.exe', 'Microsoft Corporation', 'Microsoft Defender for Endpoint', 'https://winatp-gw-weu.microsoft.com/'],
];

/** Planted rows: [device, url, process, company, product, user]. */
const PLANTED: [string, string, string, string, string, string][] = [
  ['it-admin-01', 'https://server.action1.com/agent/check', 'action1_agent.exe', 'Action1 Corporation', 'Action1 Endpoint Agent', 'svc-it@contoso.com'],
  ['laptop-017', 'https://api.tacticalrmm.io/agents', 'tacticalrmm.exe', 'AmidaWare Inc.', 'Tactical RMM Agent', 'j.doe@contoso.com'],
  ['laptop-023', 'https://mremoteng.org/update/check', 'mRemoteNG.exe', 'mRemoteNG', 'mRemoteNG', 'a.lee@contoso.com'],
  // decoys
  ['laptop-031', 'https://notaction1.com/promo', 'chrome.exe', 'Google LLC', 'Google Chrome', 'k.ng@contoso.com'],
  ['laptop-032', 'https://server.action1.com.example.net/', 'chrome.exe', 'Action1Sim Labs', 'Action1Sim', 'k.ng@contoso.com'],
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

export interface DemoOptions {
  devices?: number;
  days?: number;
  seed?: number;
  /** End of the data (ticks since 1970); hunts use it as now(). */
  end?: bigint;
}

export const DEMO_END = 17_330_400_000_000_000n; // 2024-12-01T00:00:00Z

export function demoNetworkEvents(opts: DemoOptions = {}): { table: Table; end: bigint } {
  const devices = opts.devices ?? 40;
  const days = opts.days ?? 7;
  const end = opts.end ?? DEMO_END;
  const r = rng(opts.seed ?? 7);
  const span = BigInt(days) * 864_000_000_000n;
  const rows: Record<string, Value>[] = [];
  let report = 1000;
  const at = () => end - BigInt(Math.floor(r() * Number(span / 10_000n))) * 10_000n;
  for (let d = 0; d < devices; d++) {
    const name = d < 3 ? `it-admin-0${d + 1}` : `laptop-${String(d).padStart(3, '0')}`;
    for (let k = 0; k < 20; k++) {
      const [proc, company, product, url] = BENIGN[Math.floor(r() * BENIGN.length)]!;
      rows.push({ Timestamp: at(), DeviceId: `dev-${d}`, DeviceName: name, RemoteUrl: url, RemoteIP: `20.${d % 250}.${k}.1`, InitiatingProcessFileName: proc, InitiatingProcessVersionInfoCompanyName: company, InitiatingProcessVersionInfoProductName: product, InitiatingProcessAccountUpn: `user${d}@contoso.com`, ReportId: report++ });
    }
  }
  for (const [device, url, proc, company, product, user] of PLANTED) {
    for (let k = 0; k < 3; k++) {
      rows.push({ Timestamp: at(), DeviceId: `dev-${device}`, DeviceName: device, RemoteUrl: url, RemoteIP: '203.0.113.10', InitiatingProcessFileName: proc, InitiatingProcessVersionInfoCompanyName: company, InitiatingProcessVersionInfoProductName: product, InitiatingProcessAccountUpn: user, ReportId: report++ });
    }
  }
  rows.sort((a, b) => (a['Timestamp']! < b['Timestamp']! ? -1 : 1));
  return { table: tableFromRows(DEMO_COLUMNS, rows), end };
}
