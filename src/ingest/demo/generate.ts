/**
 * `kqlite demo`: deterministic synthetic Defender telemetry for an organisation of N devices over D days.
 * DeviceInfo, DeviceNetworkEvents, DeviceProcessEvents and DeviceFileCertificateInfo with a benign
 * background, sanctioned Action1 on the IT admin hosts, planted abuse (the CISA AA23-025A help-desk
 * callback with portable AnyDesk; a second RMM tool beside a sanctioned one; TacticalRMM and MeshCentral
 * agents installed by scripts) and decoys. Same options, same rows.
 */
import type { Table } from '../../engine/storage/column.js';
import { tableFromRows } from '../../engine/storage/builders.js';
import type { Value } from '../../engine/values/value.js';
import { DEFENDER_TABLES } from '../../kql/semantics/catalog.js';
import type { TableSchema } from '../../kql/semantics/types.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import { BACKGROUND_APPS, FIRST_NAMES, LAST_NAMES, type App } from './background.js';
import { DECOYS, FOOTPRINTS, type Scenario, type ToolFootprint } from './scenarios.js';

export interface DemoOptions {
  devices?: number; days?: number; seed?: number; end?: bigint;
  /** Seeds the devices' identities apart from the events: slices generated with different `seed`s and one
   * `deviceSeed` describe the same estate (the benchmark builds large data sets a day at a time). */
  deviceSeed?: number;
  /** First ReportId (default 10,000), so slices do not repeat ids. */
  firstReportId?: number;
}
export interface DemoManifest { seed: number; devices: number; days: number; start: string; end: string; scenarios: Scenario[] }
export interface DemoData { tables: { name: string; schema: TableSchema; table: Table }[]; manifest: DemoManifest; start: bigint; end: bigint }

export const DEMO_END = 17_951_328_000_000_000n; // 2026-11-20T00:00:00Z
const HOUR = 36_000_000_000n;
const DAY = 24n * HOUR;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

type Row = Record<string, Value>;

export function generateDemo(opts: DemoOptions = {}): DemoData {
  // at least 14: the scenarios use it-admin-01/02, srv-app-01 and laptops 004, 007 and 010
  const nDevices = Math.max(14, Math.min(opts.devices ?? 25, 5000));
  const days = Math.max(1, Math.min(opts.days ?? 7, 90));
  const seed = opts.seed ?? 1;
  const end = opts.end ?? DEMO_END;
  const start = end - BigInt(days) * DAY;
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const within = (from: bigint, to: bigint) => from + (BigInt(Math.floor(r() * Number((to - from) / 10_000n))) * 10_000n) + BigInt(Math.floor(r() * 10_000));
  let report = opts.firstReportId ?? 10_000;
  const idRandom = opts.deviceSeed !== undefined ? rng(opts.deviceSeed) : r;
  const net: Row[] = [], proc: Row[] = [], cert: Row[] = [], info: Row[] = [];

  const devices = Array.from({ length: nDevices }, (_, i) => {
    const name = i < 2 ? `it-admin-0${i + 1}` : i < 4 ? `srv-app-0${i - 1}` : `laptop-${String(i - 3).padStart(3, '0')}`;
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!, last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
    const user = i < 2 ? `${first}.${last}.admin` : i < 4 ? 'svc-app' : `${first}.${last}`;
    const id = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(idRandom() * 16)]).join('');
    return { name: `${name}.contoso.local`, short: name, id, user, upn: `${user}@contoso.com`, ip: `10.${1 + (i >> 8)}.${i & 255}.${10 + (i % 200)}` };
  });
  type Device = (typeof devices)[number];

  const netRow = (d: Device, t: bigint, app: Pick<App, 'file' | 'company' | 'product' | 'folder'>, url: string, extra: Row = {}): void => {
    net.push({ Timestamp: t, DeviceId: d.id, DeviceName: d.name, ActionType: 'ConnectionSuccess', RemoteIP: `${20 + Math.floor(r() * 180)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${1 + Math.floor(r() * 250)}`,
      RemotePort: url.startsWith('http://') ? 80 : 443, RemoteUrl: url, LocalIP: d.ip, LocalPort: 49152 + Math.floor(r() * 16000), Protocol: 'Tcp', LocalIPType: 'Private', RemoteIPType: 'Public',
      InitiatingProcessFileName: app.file, InitiatingProcessFolderPath: `${app.folder.replace('{user}', d.user)}\\${app.file}`.toLowerCase(), InitiatingProcessVersionInfoCompanyName: app.company,
      InitiatingProcessVersionInfoProductName: app.product, InitiatingProcessAccountDomain: 'contoso', InitiatingProcessAccountName: d.user, InitiatingProcessAccountUpn: d.upn, ReportId: report++, ...extra });
  };
  const procRow = (d: Device, t: bigint, app: Pick<App, 'file' | 'company' | 'product' | 'folder'>, parent: string, cmd?: string): void => {
    proc.push({ Timestamp: t, DeviceId: d.id, DeviceName: d.name, ActionType: 'ProcessCreated', FileName: app.file, FolderPath: `${app.folder.replace('{user}', d.user)}\\${app.file}`,
      ProcessVersionInfoCompanyName: app.company, ProcessVersionInfoProductName: app.product, ProcessCommandLine: cmd ?? `"${app.file}"`, AccountDomain: 'contoso', AccountName: d.user, AccountUpn: d.upn,
      InitiatingProcessFileName: parent, InitiatingProcessAccountName: d.user, InitiatingProcessAccountUpn: d.upn, ProcessId: 1000 + Math.floor(r() * 30000), ReportId: report++ });
  };
  const certRow = (d: Device, t: bigint, signer: string): void => {
    const sha1 = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
    cert.push({ Timestamp: t, DeviceId: d.id, DeviceName: d.name, SHA1: sha1, IsSigned: true, SignatureType: 'Embedded', Signer: signer, Issuer: signer.startsWith('Microsoft') ? 'Microsoft Code Signing PCA 2011' : 'DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1', IsTrusted: true, IsRootSignerMicrosoft: signer.startsWith('Microsoft'), ReportId: report++ });
  };

  // background: every device, every day
  for (const d of devices) {
    for (let day = 0; day < days; day++) {
      const from = start + BigInt(day) * DAY + 7n * HOUR, to = from + 11n * HOUR;
      info.push({ Timestamp: from, DeviceId: d.id, DeviceName: d.name, OSPlatform: d.short.startsWith('srv') ? 'WindowsServer2022' : 'Windows11', OSBuild: 22631, DeviceType: d.short.startsWith('srv') ? 'Server' : 'Workstation', MachineGroup: d.short.startsWith('it') ? 'IT' : 'Staff', PublicIP: '198.51.100.7', OnboardingStatus: 'Onboarded', ReportId: report++ });
      for (let k = 0; k < 24; k++) {
        const app = pick(BACKGROUND_APPS);
        netRow(d, within(from, to), app, pick(app.urls));
      }
      for (let k = 0; k < 6; k++) {
        const app = pick(BACKGROUND_APPS);
        procRow(d, within(from, to), app, app.file === 'svchost.exe' ? 'services.exe' : 'explorer.exe');
      }
      if (day % 3 === 0) certRow(d, within(from, to), pick(BACKGROUND_APPS).signer);
    }
  }

  const scenarios: Scenario[] = [];
  const byShort = (s: string) => devices.find((d) => d.short === s)!;
  const toolActivity = (d: Device, fp: ToolFootprint, folder: string, parent: string, from: bigint, sessions: number, cmd?: string) => {
    const app = { file: fp.file, company: fp.company, product: fp.product, folder };
    procRow(d, from, app, parent, cmd);
    certRow(d, from + 10_000_000n, fp.signer);
    for (let s = 0; s < sessions; s++) {
      const t = within(from, from + (end - from) / 2n + 1n);
      for (const url of fp.urls) netRow(d, t + BigInt(s), app, url);
    }
  };
  const plant = (s: Scenario) => scenarios.push(s);

  // sanctioned: Action1 on both IT admin hosts, all along
  const admins = [byShort('it-admin-01'), byShort('it-admin-02')];
  for (const d of admins) toolActivity(d, FOOTPRINTS['Action1']!, 'C:\\Windows\\Action1', 'services.exe', end - 4n * DAY, 3 * days);
  plant({ id: 'sanctioned-action1', kind: 'sanctioned', tool: 'Action1', devices: admins.map((d) => d.name), users: admins.map((d) => d.upn), tables: ['DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceFileCertificateInfo'],
    description: 'Action1 is the organisation\'s patching and remote-support tool, deployed by IT on the admin hosts.', indicators: { domains: ['server.action1.com'], processNames: ['action1_agent.exe'], signers: ['Action1 Corporation'] } });

  // abuse 1 (CISA AA23-025A): help-desk callback lure, then portable AnyDesk from Downloads on a user's laptop
  const victim = byShort('laptop-004');
  const lureAt = end - 2n * DAY - 5n * HOUR;
  netRow(victim, lureAt, BACKGROUND_APPS[0]!, 'https://contoso-helpdesk-support.com/renew-subscription');
  toolActivity(victim, FOOTPRINTS['AnyDesk']!, `C:\\Users\\${victim.user}\\Downloads`, 'msedge.exe', lureAt + 20n * 600_000_000n, 2, `"AnyDesk.exe" --plain`);
  plant({ id: 'abuse-anydesk-helpdesk-callback', kind: 'abuse', tool: 'AnyDesk', devices: [victim.name], users: [victim.upn], tables: ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'],
    description: 'CISA AA23-025A pattern: a help-desk callback lure page, then a portable AnyDesk run from the user\'s Downloads folder connecting to AnyDesk relays.', indicators: { domains: ['boot.net.anydesk.com'], processNames: ['AnyDesk.exe'], signers: ['philandro Software GmbH'] } });

  // abuse 2: a second RMM tool on a host where Action1 is sanctioned
  const second = byShort('it-admin-02');
  toolActivity(second, FOOTPRINTS['Atera']!, 'C:\\Program Files\\ATERA Networks\\AteraAgent', 'msiexec.exe', end - 3n * DAY, 2);
  plant({ id: 'abuse-second-rmm-atera', kind: 'abuse', tool: 'Atera', devices: [second.name], users: [second.upn], tables: ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'],
    description: 'Atera appears on an admin host that already runs the sanctioned Action1: a second RMM tool nobody requested.', indicators: { domains: ['agent-api.atera.com'], processNames: ['AteraAgent.exe'], signers: ['Atera Networks Ltd'] } });

  // abuse 3 and 4: agents installed by scripts
  const srv = byShort('srv-app-01');
  toolActivity(srv, FOOTPRINTS['TacticalRMM']!, 'C:\\Program Files\\TacticalAgent', 'powershell.exe', end - 4n * DAY, 3, 'tacticalrmm.exe -m install --api https://api.tacticalrmm.io --auth 3f9c --silent');
  plant({ id: 'abuse-tacticalrmm-script-install', kind: 'abuse', tool: 'TacticalRMM', devices: [srv.name], tables: ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'],
    description: 'A PowerShell script silently installs a TacticalRMM agent on an application server.', indicators: { domains: ['api.tacticalrmm.io'], processNames: ['tacticalrmm.exe'], signers: ['AmidaWare Inc.'] } });
  const mesh = byShort('laptop-007');
  toolActivity(mesh, FOOTPRINTS['MeshCentral']!, 'C:\\Program Files\\Mesh Agent', 'cmd.exe', end - 1n * DAY, 2, 'MeshAgent.exe -fullinstall');
  plant({ id: 'abuse-meshcentral-script-install', kind: 'abuse', tool: 'MeshCentral', devices: [mesh.name], tables: ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'],
    description: 'A batch script installs a MeshCentral agent on a laptop.', indicators: { domains: ['mesh.meshcentral.com'], processNames: ['MeshAgent.exe'], signers: ['MeshCentral'] } });

  // decoys: look-alike names and a browser visiting the vendor's site
  const decoy = byShort('laptop-010');
  netRow(decoy, end - 30n * HOUR, BACKGROUND_APPS[1]!, DECOYS.url);
  netRow(decoy, end - 29n * HOUR, BACKGROUND_APPS[1]!, DECOYS.url2);
  netRow(decoy, end - 28n * HOUR, BACKGROUND_APPS[1]!, 'https://anydesk.com/en/downloads/windows');
  procRow(decoy, end - 27n * HOUR, { ...DECOYS.process, folder: `C:\\Users\\${decoy.user}\\Downloads` }, 'explorer.exe');
  certRow(decoy, end - 27n * HOUR, DECOYS.process.signer);
  plant({ id: 'decoy-anydesk-lookalikes', kind: 'decoy', tool: 'AnyDesk', devices: [decoy.name], tables: ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'],
    description: 'Look-alikes a substring match would flag: myanydesk.com.example.org, notaction1.com, a "NotAnyDesk Software" theme pack signed by "Philandro Softworks"; and a browser (not AnyDesk) visiting anydesk.com.', indicators: { domains: ['myanydesk.com.example.org', 'notaction1.com'], processNames: [DECOYS.process.file], signers: [DECOYS.process.signer] } });
  plant({ id: 'decoy-action1-lookalike', kind: 'decoy', tool: 'Action1', devices: [decoy.name], tables: ['DeviceNetworkEvents'], description: 'notaction1.com visited by a browser.', indicators: { domains: ['notaction1.com'] } });

  const byTime = (a: Row, b: Row) => ((a['Timestamp'] as bigint) < (b['Timestamp'] as bigint) ? -1 : (a['Timestamp'] as bigint) > (b['Timestamp'] as bigint) ? 1 : 0);
  const tables = ([['DeviceInfo', info], ['DeviceNetworkEvents', net], ['DeviceProcessEvents', proc], ['DeviceFileCertificateInfo', cert]] as const).map(([name, rows]) => {
    const schema = DEFENDER_TABLES.find((t) => t.name === name)!;
    return { name, schema, table: tableFromRows(schema.columns, [...rows].sort(byTime)) };
  });
  return { tables, start, end, manifest: { seed, devices: nDevices, days, start: formatDatetime(start), end: formatDatetime(end), scenarios } };
}
