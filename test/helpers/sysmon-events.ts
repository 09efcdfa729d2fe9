// Test and benchmark helper: deterministic Sysmon-shaped events (process creation 1, network 3, image load 7,
// file create 11, registry set 13, DNS 22) and a few Security ones (4624, 4688), with the value types Sysmon
// and Windows write (GUIDs, hex logon ids, SIDs, numbers), for writing EVTX files with evtx-writer.ts.
import { filetimeOf, str, u32, type WEvent, type WValue } from './evtx-writer.js';

const SYSMON = { provider: 'Microsoft-Windows-Sysmon', providerGuid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9', channel: 'Microsoft-Windows-Sysmon/Operational' };

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// most activity is ordinary; a share (`suspicious`, default 0.3) comes from the tools attacks use
const BENIGN_IMAGES = ['C:\\Windows\\System32\\svchost.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\explorer.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', 'C:\\Windows\\System32\\conhost.exe', 'C:\\Program Files\\Microsoft\\Teams\\current\\Teams.exe'];
const SUSPICIOUS_IMAGES = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Windows\\System32\\rundll32.exe', 'C:\\Users\\alice\\AppData\\Local\\Temp\\setup.exe', 'C:\\Windows\\System32\\certutil.exe'];
const BENIGN_ARGS = ['', ' --type=renderer --lang=en-US', ' -k netsvcs -p -s Schedule', ' 0xffffffff -ForceV1', ' /prefetch:1', ' --profile-directory=Default'];
const SUSPICIOUS_ARGS = [' /c whoami', ' -NoProfile -EncodedCommand SQBFAFgA', ' -urlcache -split -f http://10.0.0.5/a.exe a.exe', ' /S /D=C:\\Program Files\\App'];
const HOSTS = ['ws-001.contoso.local', 'ws-002.contoso.local', 'srv-db-01.contoso.local', 'dc-01.contoso.local'];
const USERS = ['CONTOSO\\alice', 'CONTOSO\\bob', 'NT AUTHORITY\\SYSTEM', 'NT AUTHORITY\\NETWORK SERVICE'];
const REG = ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater', 'HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\x', 'HKLM\\System\\CurrentControlSet\\Services\\Svc\\ImagePath', 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\DisableAntiSpyware'];
const DLLS = ['C:\\Windows\\System32\\ntdll.dll', 'C:\\Windows\\System32\\kernel32.dll', 'C:\\Windows\\System32\\dbghelp.dll', 'C:\\Users\\alice\\AppData\\Local\\Temp\\evil.dll'];

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
function guid(r: () => number): WValue {
  const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('').toUpperCase();
  return { t: 'guid', v: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
}
const hex = (r: () => number) => Array.from({ length: 40 }, () => Math.floor(r() * 16).toString(16)).join('').toUpperCase();
const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** `count` events starting at `startMs`, one every ~`stepMs`, record ids from `firstId`. */
export function* sysmonEvents(count: number, opts: { seed?: number; startMs?: number; stepMs?: number; firstId?: number; suspicious?: number } = {}): Generator<WEvent> {
  const r = rng(opts.seed ?? 1);
  const odd = opts.suspicious ?? 0.3;
  const image = () => (r() < odd ? pick(r, SUSPICIOUS_IMAGES) : pick(r, BENIGN_IMAGES));
  const args = () => (r() < odd ? pick(r, SUSPICIOUS_ARGS) : pick(r, BENIGN_ARGS));
  let ms = opts.startMs ?? Date.UTC(2025, 9, 1);
  for (let i = 0; i < count; i++) {
    ms += Math.floor(r() * (opts.stepMs ?? 50));
    const computer = pick(r, HOSTS);
    const img = image();
    const user = pick(r, USERS);
    const pid = 1000 + Math.floor(r() * 60000);
    const base = { ...SYSMON, time: filetimeOf(ms, Math.floor(r() * 10_000)), recordId: (opts.firstId ?? 1) + i, computer, processId: 3308, threadId: 4008, userSid: 'S-1-5-18', level: 4 };
    const k = r();
    const common: [string, WValue][] = [['RuleName', str('-')], ['UtcTime', str(utc(ms))], ['ProcessGuid', guid(r)], ['ProcessId', u32(pid)]];
    if (k < 0.4) {
      const parent = image();
      yield { ...base, eventId: 1, version: 5, task: 1, data: [...common, ['Image', str(img)], ['FileVersion', str('10.0.19041.1')], ['Description', str('Windows Command Processor')], ['Product', str('Microsoft® Windows® Operating System')], ['Company', str('Microsoft Corporation')], ['OriginalFileName', str(img.split('\\').pop()!.toUpperCase())], ['CommandLine', str(`"${img}"${args()}`)], ['CurrentDirectory', str('C:\\Windows\\system32\\')], ['User', str(user)], ['LogonGuid', guid(r)], ['LogonId', { t: 'hex64', v: BigInt(Math.floor(r() * 0xffffff)) }], ['TerminalSessionId', u32(1)], ['IntegrityLevel', str(pick(r, ['Medium', 'High', 'System']))], ['Hashes', str(`SHA1=${hex(r)},MD5=${hex(r).slice(0, 32)},SHA256=${hex(r)}${hex(r).slice(0, 24)},IMPHASH=${hex(r).slice(0, 32)}`)], ['ParentProcessGuid', guid(r)], ['ParentProcessId', u32(pid - 7)], ['ParentImage', str(parent)], ['ParentCommandLine', str(`"${parent}"`)], ['ParentUser', str(user)]] };
    } else if (k < 0.55) {
      yield { ...base, eventId: 3, version: 5, task: 3, data: [...common, ['Image', str(img)], ['User', str(user)], ['Protocol', str('tcp')], ['Initiated', str('true')], ['SourceIsIpv6', str('false')], ['SourceIp', str(`10.0.0.${Math.floor(r() * 250)}`)], ['SourceHostname', str(computer)], ['SourcePort', u32(49152 + Math.floor(r() * 16000))], ['SourcePortName', str('-')], ['DestinationIsIpv6', str('false')], ['DestinationIp', str(`52.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}`)], ['DestinationHostname', str(pick(r, ['login.live.com', 'relay.example.net', '-']))], ['DestinationPort', u32(pick(r, [443, 80, 4444, 3389]))], ['DestinationPortName', str('https')]] };
    } else if (k < 0.7) {
      yield { ...base, eventId: 7, version: 3, task: 7, data: [...common, ['Image', str(img)], ['ImageLoaded', str(pick(r, DLLS))], ['FileVersion', str('10.0.19041.1')], ['Description', str('NT Layer DLL')], ['Product', str('Microsoft® Windows® Operating System')], ['Company', str('Microsoft Corporation')], ['OriginalFileName', str('ntdll.dll')], ['Hashes', str(`SHA1=${hex(r)}`)], ['Signed', str('true')], ['Signature', str('Microsoft Windows')], ['SignatureStatus', str('Valid')], ['User', str(user)]] };
    } else if (k < 0.85) {
      yield { ...base, eventId: 11, version: 2, task: 11, data: [...common, ['Image', str(img)], ['TargetFilename', str(`C:\\Users\\alice\\AppData\\Local\\Temp\\f${Math.floor(r() * 100000)}.${pick(r, ['tmp', 'exe', 'ps1', 'dll'])}`)], ['CreationUtcTime', str(utc(ms))], ['User', str(user)]] };
    } else if (k < 0.95) {
      yield { ...base, eventId: 13, version: 2, task: 13, data: [['RuleName', str('-')], ['EventType', str('SetValue')], ['UtcTime', str(utc(ms))], ['ProcessGuid', guid(r)], ['ProcessId', u32(pid)], ['Image', str(img)], ['TargetObject', str(pick(r, REG))], ['Details', str(pick(r, ['DWORD (0x00000001)', 'C:\\Users\\Public\\run.exe', 'Binary Data']))], ['User', str(user)]] };
    } else {
      yield { ...base, eventId: 22, version: 5, task: 22, data: [['RuleName', str('-')], ['UtcTime', str(utc(ms))], ['ProcessGuid', guid(r)], ['ProcessId', u32(pid)], ['QueryName', str(pick(r, ['www.bing.com', 'raw.githubusercontent.com', 'pastebin.com']))], ['QueryStatus', str('0')], ['QueryResults', str('::ffff:13.107.21.200;')], ['Image', str(img)], ['User', str(user)]] };
    }
  }
}
