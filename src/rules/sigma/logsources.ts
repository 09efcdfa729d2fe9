/**
 * Sigma logsources → where their events are in a kqlite workspace. Windows categories that pySigma's Microsoft
 * XDR pipeline maps go to the Defender tables (process_creation → DeviceProcessEvents, image_load →
 * DeviceImageLoadEvents, file_* → DeviceFileEvents, registry_* → DeviceRegistryEvents, network_connection →
 * DeviceNetworkEvents), each narrowed to its ActionTypes (pySigma adds none, so a file_event rule would also
 * match deletions). Every Sysmon category also has its Sysmon events in WindowsEvent (channel and event ids):
 * a rule whose fields Defender has no column for runs there instead. Windows services go to their channel in
 * WindowsEvent, the Security log to SecurityEvent. The tables are data: docs/SIGMA.md lists them.
 */
export interface Target {
  table: 'WindowsEvent' | 'SecurityEvent' | string;
  /** How Sigma fields are found in this table. */
  kind: 'defender' | 'windowsevent' | 'securityevent';
  /** Conditions every event of the logsource meets (KQL), applied before the rule's own. */
  prefilter: string[];
  /** In words, for notes and docs: "Sysmon event 1 in WindowsEvent". */
  label: string;
  /** The service (for field spellings that differ per service, e.g. Windows Defender's). */
  service?: string;
}

export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';

/** Sysmon's event ids per Sigma category (Sigma's Sysmon log source definitions). */
export const SYSMON_EVENTS: Record<string, number[]> = {
  process_creation: [1], file_change: [2], network_connection: [3], sysmon_status: [4, 16], process_termination: [5], driver_load: [6],
  image_load: [7], create_remote_thread: [8], raw_access_thread: [9], process_access: [10], file_event: [11], registry_add: [12],
  registry_delete: [12], registry_set: [13], registry_rename: [14], registry_event: [12, 13, 14], create_stream_hash: [15],
  pipe_created: [17, 18], wmi_event: [19, 20, 21], dns_query: [22], file_delete: [23, 26], clipboard_capture: [24],
  process_tampering: [25], file_delete_detected: [26], file_block_executable: [27], file_block_shredding: [28],
  file_executable_detected: [29], sysmon_error: [255],
};

/** Categories pySigma's Microsoft XDR pipeline maps to Defender tables, with the ActionTypes kqlite narrows them to. */
export const DEFENDER_CATEGORIES: Record<string, { table: string; actionTypes?: string[] }> = {
  process_creation: { table: 'DeviceProcessEvents' },
  image_load: { table: 'DeviceImageLoadEvents' },
  file_event: { table: 'DeviceFileEvents', actionTypes: ['FileCreated'] },
  file_delete: { table: 'DeviceFileEvents', actionTypes: ['FileDeleted'] },
  file_rename: { table: 'DeviceFileEvents', actionTypes: ['FileRenamed'] },
  file_change: { table: 'DeviceFileEvents', actionTypes: ['FileModified'] },
  file_access: { table: 'DeviceFileEvents' },
  registry_add: { table: 'DeviceRegistryEvents', actionTypes: ['RegistryKeyCreated'] },
  registry_delete: { table: 'DeviceRegistryEvents', actionTypes: ['RegistryKeyDeleted', 'RegistryValueDeleted'] },
  registry_set: { table: 'DeviceRegistryEvents', actionTypes: ['RegistryValueSet'] },
  registry_event: { table: 'DeviceRegistryEvents' },
  network_connection: { table: 'DeviceNetworkEvents' },
};

/** Windows services → their event log channel(s) (pySigma's Windows log source mapping, plus the services the SigmaHQ rules use). */
export const SERVICE_CHANNELS: Record<string, string[]> = {
  security: ['Security'], application: ['Application'], system: ['System'], sysmon: [SYSMON_CHANNEL],
  powershell: ['Microsoft-Windows-PowerShell/Operational'], 'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'], wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'], 'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'], 'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'], ntlm: ['Microsoft-Windows-NTLM/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'], 'msexchange-management': ['MSExchange Management'],
  applocker: ['Microsoft-Windows-AppLocker/EXE and DLL', 'Microsoft-Windows-AppLocker/MSI and Script', 'Microsoft-Windows-AppLocker/Packaged app-Deployment', 'Microsoft-Windows-AppLocker/Packaged app-Execution'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'], 'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'], 'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'], 'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'], 'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'], 'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'], 'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'], 'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'], 'security-mitigations': ['Microsoft-Windows-Security-Mitigations/KernelMode', 'Microsoft-Windows-Security-Mitigations/UserMode'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'], 'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'], 'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'], 'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  openssh: ['OpenSSH/Operational'], capi2: ['Microsoft-Windows-CAPI2/Operational'],
};

/** Windows PowerShell categories: their channel and event id (pySigma's Windows pipeline). */
export const POWERSHELL_CATEGORIES: Record<string, { service: string; eventId: number }> = {
  ps_module: { service: 'powershell', eventId: 4103 }, ps_script: { service: 'powershell', eventId: 4104 },
  ps_classic_start: { service: 'powershell-classic', eventId: 400 }, ps_classic_provider_start: { service: 'powershell-classic', eventId: 600 },
  ps_classic_script: { service: 'powershell-classic', eventId: 800 },
};

const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const inList = (col: string, values: readonly (string | number)[]) => (values.length === 1 ? `${col} ${typeof values[0] === 'number' ? '==' : '=~'} ${typeof values[0] === 'number' ? values[0] : lit(values[0] as string)}` : `${col} in${typeof values[0] === 'number' ? '' : '~'} (${values.map((v) => (typeof v === 'number' ? String(v) : lit(v))).join(', ')})`);

function channelTarget(service: string, eventIds?: number[]): Target | undefined {
  const channels = SERVICE_CHANNELS[service];
  if (!channels) return undefined;
  if (service === 'security') return { table: 'SecurityEvent', kind: 'securityevent', prefilter: eventIds ? [inList('EventID', eventIds)] : [], label: 'the Security log in SecurityEvent', service };
  return { table: 'WindowsEvent', kind: 'windowsevent', prefilter: [inList('Channel', channels), ...(eventIds ? [inList('EventID', eventIds)] : [])], label: `${channels.join(' / ')}${eventIds ? ` event ${eventIds.join('/')}` : ''} in WindowsEvent`, service };
}

/** The Sysmon form of a category (WindowsEvent), when Sysmon logs it. */
export function sysmonTarget(category: string): Target | undefined {
  const ids = SYSMON_EVENTS[category];
  return ids ? { table: 'WindowsEvent', kind: 'windowsevent', prefilter: [inList('Channel', [SYSMON_CHANNEL]), inList('EventID', ids)], label: `Sysmon event ${ids.join('/')} in WindowsEvent`, service: 'sysmon' } : undefined;
}

export function defenderTarget(category: string): Target | undefined {
  const d = DEFENDER_CATEGORIES[category];
  return d ? { table: d.table, kind: 'defender', prefilter: d.actionTypes ? [inList('ActionType', d.actionTypes)] : [], label: d.table } : undefined;
}

/**
 * Where a logsource's events are: its candidates in order of preference (Defender first, then the Sysmon
 * form), or the reason there is none.
 */
export function targetsOf(ls: { product?: string; category?: string; service?: string }): Target[] | string {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  const what = [product && `product ${product}`, category && `category ${category}`, service && `service ${service}`].filter(Boolean).join(', ') || 'no product, category or service';
  if (product !== 'windows') return `logsource (${what}) is not a Windows event log; kqlite holds Windows event logs and Defender XDR tables`;
  if (category) {
    const ps = POWERSHELL_CATEGORIES[category];
    if (ps) return [channelTarget(ps.service, [ps.eventId])!];
    const out = [defenderTarget(category), sysmonTarget(category)].filter((t): t is Target => !!t);
    if (!out.length) return `logsource category '${category}' has no mapping: neither pySigma's Defender pipeline nor Sysmon covers it`;
    if (service) return `logsource category '${category}' with service '${service}' has no mapping`;
    return out;
  }
  if (service) {
    const t = channelTarget(service);
    return t ? [t] : `logsource service '${service}' has no known event log channel`;
  }
  return `logsource (${what}) names no category or service`;
}
