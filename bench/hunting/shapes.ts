/**
 * The hunting benchmark's query shapes: each a query of a kind the hunting corpora run (the source named is
 * where the shape comes from: test/corpus/<owner>__<repo> and ../shared/corpus/sentinel-hunting), written
 * in KQL for kqlite and by hand in DuckDB SQL with the same semantics, over bench/hunting/data.ts's tables.
 * Both sides return datetimes as 100 ns ticks so rows compare exactly (bench/hunting/compare.ts); `sets`
 * names the columns whose arrays are sets (make_set: order is the engine's choice), `reals` the columns
 * compared with a tolerance.
 */
import { hasAnySql } from '../engine/kql-to-sql.js';
import { HUNT_NOW, iocAddresses } from './data.js';

export interface Shape {
  name: string;
  /** Where the shape comes from. */
  from: string;
  kql: string;
  sql: string;
  sets?: string[];
  reals?: string[];
}

const HOUR = 36_000_000_000n;
const DAY = 24n * HOUR;
const MINUTE = 600_000_000n;
/** A timestamp literal for DuckDB and its ticks back out. */
const T = (ticks: bigint) => `make_timestamp_ns(${ticks * 100n})`;
const ticks = (col: string) => `(epoch_ns(${col}) // 100)`;
const binTicks = (col: string, span: bigint) => `((epoch_ns(${col}) // ${span * 100n}) * ${span})`;
const sqlList = (xs: string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');
const kqlList = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');

/** 200 has_any terms: tool names, LOLBin switches and paths from the hunting corpora, and filler that never matches. */
export const HAS_ANY_TERMS = [
  'EncodedCommand', 'urlcache', 'MiniDump', 'comsvcs', 'Bypass', 'WindowStyle', 'localgroup', 'process call create', 'LaunchINFSection', 'OpenURL',
  ...Array.from({ length: 190 }, (_, i) => `tool${i}x`),
];
/**
 * `has_any` in DuckDB as one case-insensitive RE2 alternation with a term boundary on each side: the same
 * rows as one `has` test per needle when every needle starts and ends with a letter or digit (checked), and
 * much faster in DuckDB than 200 ORed tests (about 1 s at 10k rows).
 */
function hasAnyRegexSql(column: string, needles: string[]): string {
  if (!needles.every((n) => /^[\p{L}\p{N}].*[\p{L}\p{N}]$/u.test(n))) throw new Error('hasAnyRegexSql needs needles that start and end with a letter or digit');
  const body = needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return `regexp_matches(${column}, '(?i)(?:^|[^\\p{L}\\p{N}])(?:${body.replace(/'/g, "''")})(?:$|[^\\p{L}\\p{N}])')`;
}
const LOLBINS = ['powershell.exe', 'cmd.exe', 'rundll32.exe', 'certutil.exe', 'mshta.exe', 'wmic.exe'];

/**
 * The shapes whose name contains one of the comma-separated words of `filter` (case-insensitive; all when
 * it is empty): `--shapes=mv-expand,extract` runs those only, so one shape can be iterated on quickly.
 */
export function selectShapes(filter: string | undefined, now: bigint = HUNT_NOW): Shape[] {
  const words = (filter ?? '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  const all = huntShapes(now);
  if (!words.length) return all;
  const picked = all.filter((s) => words.some((w) => s.name.toLowerCase().includes(w)));
  if (!picked.length) throw new Error(`--shapes=${filter} names no shape; shapes:\n${all.map((s) => `  ${s.name}`).join('\n')}`);
  return picked;
}

export function huntShapes(now: bigint = HUNT_NOW): Shape[] {
  const ago = (span: bigint) => T(now - span);
  const iocs = iocAddresses();
  const iocRows = iocs.map((ip, i) => `"${ip}", "campaign-${i % 7}"`).join(',\n  ');
  const iocValues = iocs.map((ip, i) => `('${ip}', 'campaign-${i % 7}')`).join(', ');
  return [
    {
      name: 'summarize by bin: connections per hour and action',
      from: 'reprise99 Device-DetectPotentialNetworkRecon',
      kql: 'DeviceNetworkEvents\n| summarize Connections=count(), Devices=dcount(DeviceId) by bin(Timestamp, 1h), ActionType',
      sql: `SELECT ${binTicks('Timestamp', HOUR)} AS Timestamp, ActionType, count(*) AS Connections, count(DISTINCT DeviceId) AS Devices FROM DeviceNetworkEvents GROUP BY 1, 2`,
    },
    {
      name: 'summarize by bin: failed connections per device per 10 minutes',
      from: 'reprise99 Device-DetectMultipleFailedRemoteLogons',
      kql: 'DeviceNetworkEvents\n| where Timestamp > ago(7d)\n| where ActionType == "ConnectionFailed"\n| summarize Failures=count(), Ports=dcount(RemotePort) by DeviceName, bin(Timestamp, 10m)\n| where Failures >= 2',
      sql: `SELECT DeviceName, ${binTicks('Timestamp', 10n * MINUTE)} AS Timestamp, count(*) AS Failures, count(DISTINCT RemotePort) AS Ports FROM DeviceNetworkEvents WHERE Timestamp > ${ago(7n * DAY)} AND ActionType = 'ConnectionFailed' GROUP BY 1, 2 HAVING count(*) >= 2`,
    },
    {
      name: 'arg_max dedupe: latest command line per device and file',
      from: 'cyb3rmik3 powershell-base64-encoding (summarize arg_max(Timestamp, *) by DeviceId)',
      kql: 'DeviceProcessEvents\n| where FileName in~ ("powershell.exe", "cmd.exe", "rundll32.exe")\n| summarize arg_max(Timestamp, ProcessCommandLine, AccountName) by DeviceId, FileName',
      sql: `SELECT DeviceId, FileName, ${ticks('max(Timestamp)')} AS Timestamp, arg_max(ProcessCommandLine, Timestamp) AS ProcessCommandLine, arg_max(AccountName, Timestamp) AS AccountName FROM DeviceProcessEvents WHERE lower(FileName) IN ('powershell.exe', 'cmd.exe', 'rundll32.exe') GROUP BY 1, 2`,
    },
    {
      name: 'arg_max(*) dedupe: each device\'s last connection of the day',
      from: 'alexverboon MDE-DataCollection (arg_max(Timestamp, *) by DeviceId)',
      kql: 'DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| summarize arg_max(Timestamp, *) by DeviceId\n| project DeviceId, Timestamp, RemoteIP, RemoteUrl, InitiatingProcessFileName',
      sql: `SELECT DeviceId, ${ticks('Timestamp')} AS Timestamp, RemoteIP, RemoteUrl, InitiatingProcessFileName FROM DeviceNetworkEvents WHERE Timestamp > ${ago(DAY)} QUALIFY row_number() OVER (PARTITION BY DeviceId ORDER BY Timestamp DESC) = 1`,
    },
    {
      name: 'join inner: LOLBin processes and their connections (DeviceId, ProcessId)',
      from: 'sentinel-hunting Command and Control (process joined to its network events)',
      kql: `DeviceProcessEvents
| where Timestamp > ago(7d) and FileName in~ (${kqlList(LOLBINS)})
| project DeviceId, ProcessId, FileName, ProcessCommandLine
| join kind=inner (DeviceNetworkEvents | where Timestamp > ago(7d) | project DeviceId, InitiatingProcessId, RemoteIP, RemotePort) on DeviceId, $left.ProcessId == $right.InitiatingProcessId
| summarize Connections=count(), Addresses=dcount(RemoteIP) by FileName, RemotePort`,
      sql: `SELECT p.FileName, n.RemotePort, count(*) AS Connections, count(DISTINCT n.RemoteIP) AS Addresses FROM
 (SELECT DeviceId, ProcessId, FileName FROM DeviceProcessEvents WHERE Timestamp > ${ago(7n * DAY)} AND lower(FileName) IN (${sqlList(LOLBINS)})) p
 JOIN (SELECT DeviceId, InitiatingProcessId, RemoteIP, RemotePort FROM DeviceNetworkEvents WHERE Timestamp > ${ago(7n * DAY)}) n
 ON p.DeviceId = n.DeviceId AND p.ProcessId = n.InitiatingProcessId GROUP BY 1, 2`,
    },
    {
      name: 'join leftouter: encoded PowerShell and whether it connected out',
      from: 'cyb3rmik3 powershell-base64-encoding + alexverboon joins (kind=leftouter)',
      kql: `DeviceProcessEvents
| where Timestamp > ago(7d) and FileName =~ "powershell.exe" and ProcessCommandLine has "EncodedCommand"
| join kind=leftouter (DeviceNetworkEvents | where Timestamp > ago(7d) | project DeviceId, InitiatingProcessId, RemoteIP) on DeviceId, $left.ProcessId == $right.InitiatingProcessId
| summarize Runs=count(), Connected=countif(isnotempty(RemoteIP)) by DeviceName`,
      sql: `SELECT p.DeviceName, count(*) AS Runs, count(*) FILTER (WHERE coalesce(n.RemoteIP, '') <> '') AS Connected FROM
 (SELECT DeviceId, DeviceName, ProcessId FROM DeviceProcessEvents WHERE Timestamp > ${ago(7n * DAY)} AND lower(FileName) = 'powershell.exe' AND ${hasAnySql('ProcessCommandLine', ['EncodedCommand'])}) p
 LEFT JOIN (SELECT DeviceId, InitiatingProcessId, RemoteIP FROM DeviceNetworkEvents WHERE Timestamp > ${ago(7n * DAY)}) n
 ON p.DeviceId = n.DeviceId AND p.ProcessId = n.InitiatingProcessId GROUP BY 1`,
    },
    {
      name: 'join leftanti: LOLBin runs that made no connection',
      from: 'cyb3rmik3 identify-endpoints-running-wsl-without-mde-plug-in (kind=leftanti)',
      kql: `DeviceProcessEvents
| where Timestamp > ago(7d) and FileName in~ (${kqlList(LOLBINS)})
| join kind=leftanti (DeviceNetworkEvents | where Timestamp > ago(7d)) on DeviceId, $left.ProcessId == $right.InitiatingProcessId
| summarize Silent=count() by FileName, AccountName`,
      sql: `SELECT FileName, AccountName, count(*) AS Silent FROM DeviceProcessEvents p WHERE Timestamp > ${ago(7n * DAY)} AND lower(FileName) IN (${sqlList(LOLBINS)})
 AND NOT EXISTS (SELECT 1 FROM DeviceNetworkEvents n WHERE n.Timestamp > ${ago(7n * DAY)} AND n.DeviceId = p.DeviceId AND n.InitiatingProcessId = p.ProcessId) GROUP BY 1, 2`,
    },
    {
      name: 'join with a time window: certutil then a connection within 5 minutes',
      from: 'sentinel-hunting Campaigns (process, then network within a window: join on DeviceId, where between)',
      kql: `DeviceProcessEvents
| where Timestamp > ago(3d) and FileName =~ "certutil.exe"
| project DeviceId, ProcTime=Timestamp, ProcessCommandLine
| join kind=inner (DeviceNetworkEvents | where Timestamp > ago(3d) and RemotePort in (80, 8080) | project DeviceId, NetTime=Timestamp, RemoteIP) on DeviceId
| where NetTime between (ProcTime .. 5m)
| summarize Hits=count(), FirstSeen=min(NetTime) by DeviceId, ProcessCommandLine`,
      sql: `SELECT p.DeviceId, p.ProcessCommandLine, count(*) AS Hits, ${ticks('min(n.Timestamp)')} AS FirstSeen FROM
 (SELECT DeviceId, Timestamp, ProcessCommandLine FROM DeviceProcessEvents WHERE Timestamp > ${ago(3n * DAY)} AND lower(FileName) = 'certutil.exe') p
 JOIN (SELECT DeviceId, Timestamp, RemoteIP FROM DeviceNetworkEvents WHERE Timestamp > ${ago(3n * DAY)} AND RemotePort IN (80, 8080)) n
 ON p.DeviceId = n.DeviceId AND n.Timestamp BETWEEN p.Timestamp AND p.Timestamp + INTERVAL 5 MINUTE GROUP BY 1, 2`,
    },
    {
      name: 'join to a datatable of IOCs (200 addresses)',
      from: 'cyb3rmik3 detecting-rmm-tools-using-processversioninfocompanymame-table (datatable join)',
      kql: `let IOCs = datatable(IP:string, Campaign:string) [
  ${iocRows}
];
DeviceNetworkEvents
| join kind=inner IOCs on $left.RemoteIP == $right.IP
| summarize Hits=count(), Devices=dcount(DeviceId), LastSeen=max(Timestamp) by Campaign, RemoteIP`,
      sql: `SELECT i.Campaign, n.RemoteIP, count(*) AS Hits, count(DISTINCT n.DeviceId) AS Devices, ${ticks('max(n.Timestamp)')} AS LastSeen FROM DeviceNetworkEvents n JOIN (VALUES ${iocValues}) i(IP, Campaign) ON n.RemoteIP = i.IP GROUP BY 1, 2`,
    },
    {
      name: 'in~ an IOC list then lookup: connections to listed addresses, last 7 days',
      from: 'sentinel-hunting (let IOC list; where RemoteIP in (list))',
      kql: `let IOCs = dynamic([${kqlList(iocs)}]);
DeviceNetworkEvents
| where Timestamp > ago(7d) and RemoteIP in (IOCs)
| summarize Connections=count() by DeviceName, RemoteIP, InitiatingProcessFileName`,
      sql: `SELECT DeviceName, RemoteIP, InitiatingProcessFileName, count(*) AS Connections FROM DeviceNetworkEvents WHERE Timestamp > ${ago(7n * DAY)} AND RemoteIP IN (${sqlList(iocs)}) GROUP BY 1, 2, 3`,
    },
    {
      name: 'has_any over 200 terms in command lines',
      from: 'cyb3rmik3 possible-soaphound-tool-execution-using-specific-arguments (has_any list)',
      kql: `let Terms = dynamic([${kqlList(HAS_ANY_TERMS)}]);
DeviceProcessEvents
| where ProcessCommandLine has_any (Terms)
| summarize Runs=count() by FileName, AccountName`,
      sql: `SELECT FileName, AccountName, count(*) AS Runs FROM DeviceProcessEvents WHERE ${hasAnyRegexSql('ProcessCommandLine', HAS_ANY_TERMS)} GROUP BY 1, 2`,
    },
    {
      name: 'has_any over 200 terms in the parent command line of connections, last 7 days',
      from: 'sentinel-hunting (InitiatingProcessCommandLine has_any)',
      kql: `let Terms = dynamic([${kqlList(HAS_ANY_TERMS)}]);
DeviceNetworkEvents
| where Timestamp > ago(7d)
| where InitiatingProcessCommandLine has_any (Terms)
| summarize Connections=count(), Remote=dcount(RemoteIP) by DeviceName`,
      sql: `SELECT DeviceName, count(*) AS Connections, count(DISTINCT RemoteIP) AS Remote FROM DeviceNetworkEvents WHERE Timestamp > ${ago(7n * DAY)} AND ${hasAnyRegexSql('InitiatingProcessCommandLine', HAS_ANY_TERMS)} GROUP BY 1`,
    },
    {
      name: 'mv-expand + parse_json: tags of inspected HTTP connections',
      from: 'reprise99 Anamoly-USBFileCopies (parse_json(AdditionalFields), mv-expand)',
      kql: `DeviceNetworkEvents
| where ActionType == "HttpConnectionInspected"
| extend AF = parse_json(AdditionalFields)
| mv-expand Tag = AF.Tags to typeof(string)
| summarize Connections=count() by Tag, RemotePort`,
      sql: `SELECT Tag, RemotePort, count(*) AS Connections FROM (SELECT unnest(json_extract_string(AdditionalFields, '$.Tags[*]')) AS Tag, RemotePort FROM DeviceNetworkEvents WHERE ActionType = 'HttpConnectionInspected') GROUP BY 1, 2`,
    },
    {
      name: 'parse_json fields: user agents and URIs of HTTP connections',
      from: 'alexverboon MDE-Zeek (extend tostring(parse_json(AdditionalFields).x))',
      kql: `DeviceNetworkEvents
| where Timestamp > ago(14d) and ActionType == "HttpConnectionInspected"
| extend UserAgent = tostring(parse_json(AdditionalFields).user_agent), Direction = tostring(parse_json(AdditionalFields).direction)
| summarize Connections=count(), Devices=dcount(DeviceId) by UserAgent, Direction`,
      sql: `SELECT coalesce(json_extract_string(AdditionalFields, '$.user_agent'), '') AS UserAgent, coalesce(json_extract_string(AdditionalFields, '$.direction'), '') AS Direction, count(*) AS Connections, count(DISTINCT DeviceId) AS Devices FROM DeviceNetworkEvents WHERE Timestamp > ${ago(14n * DAY)} AND ActionType = 'HttpConnectionInspected' GROUP BY 1, 2`,
    },
    {
      name: 'mv-expand: command-line words of LOLBins, last 2 days',
      from: 'engine bench mv-expand (split + mv-expand), corpus: cyb3rmik3 fetch-dynamic-and-manual-tags',
      kql: `DeviceProcessEvents
| where Timestamp > ago(2d) and FileName in~ (${kqlList(LOLBINS)})
| extend Words = split(ProcessCommandLine, " ")
| mv-expand Word = Words to typeof(string)
| summarize Count=count() by Word
| where Count > 1`,
      sql: `SELECT Word, count(*) AS Count FROM (SELECT unnest(string_split(ProcessCommandLine, ' ')) AS Word FROM DeviceProcessEvents WHERE Timestamp > ${ago(2n * DAY)} AND lower(FileName) IN (${sqlList(LOLBINS)})) GROUP BY 1 HAVING count(*) > 1`,
    },
    {
      name: 'extract: download hosts in command lines',
      from: 'cyb3rmik3 network-zipandmov-access (extract(regex, 1, ...))',
      kql: `DeviceProcessEvents
| where ProcessCommandLine has "http"
| extend Host = extract(@"https?://([^/ ]+)/", 1, ProcessCommandLine)
| where isnotempty(Host)
| summarize Runs=count(), Devices=dcount(DeviceId) by Host, FileName`,
      sql: `SELECT Host, FileName, count(*) AS Runs, count(DISTINCT DeviceId) AS Devices FROM (SELECT regexp_extract(ProcessCommandLine, 'https?://([^/ ]+)/', 1) AS Host, FileName, DeviceId FROM DeviceProcessEvents WHERE ${hasAnySql('ProcessCommandLine', ['http'])}) WHERE Host <> '' GROUP BY 1, 2`,
    },
    {
      name: 'extract: encoded PowerShell payload lengths per device',
      from: 'cyb3rmik3 powershell-base64-encoding (extract of -EncodedCommand)',
      kql: `DeviceProcessEvents
| extend Payload = extract(@"-EncodedCommand\\s+([A-Za-z0-9+/=]+)", 1, ProcessCommandLine)
| where isnotempty(Payload)
| summarize Runs=count(), Longest=max(strlen(Payload)) by DeviceId`,
      sql: `SELECT DeviceId, count(*) AS Runs, max(length(Payload)) AS Longest FROM (SELECT DeviceId, regexp_extract(ProcessCommandLine, '-EncodedCommand\\s+([A-Za-z0-9+/=]+)', 1) AS Payload FROM DeviceProcessEvents) WHERE Payload <> '' GROUP BY 1`,
    },
    {
      name: 'parse: certutil download URL and destination',
      from: 'reprise99 Device-FileDownloadedfromO365thenCopiedtoUSB (parse ... with * "x" Col)',
      kql: `DeviceProcessEvents
| where FileName =~ "certutil.exe"
| parse ProcessCommandLine with * "-split -f http://" RemoteHost "/" Payload " " Destination
| summarize Runs=count(), Devices=dcount(DeviceId) by RemoteHost, Payload`,
      sql: `SELECT regexp_extract(ProcessCommandLine, '-split -f http://(.*?)/(.*?) (.*)', 1) AS RemoteHost, regexp_extract(ProcessCommandLine, '-split -f http://(.*?)/(.*?) (.*)', 2) AS Payload, count(*) AS Runs, count(DISTINCT DeviceId) AS Devices FROM DeviceProcessEvents WHERE lower(FileName) = 'certutil.exe' GROUP BY 1, 2`,
    },
    {
      name: 'make_set by device: processes and accounts seen',
      from: 'reprise99 Device-CreateSetofLocalAdminsperDevice (make_set by DeviceName)',
      kql: 'DeviceProcessEvents\n| where Timestamp > ago(7d)\n| summarize Processes=make_set(FileName), Accounts=make_set(AccountName), Runs=count() by DeviceName',
      sql: `SELECT DeviceName, list(DISTINCT FileName) AS Processes, list(DISTINCT AccountName) AS Accounts, count(*) AS Runs FROM DeviceProcessEvents WHERE Timestamp > ${ago(7n * DAY)} GROUP BY 1`,
      sets: ['Processes', 'Accounts'],
    },
    {
      name: 'make_set by device: remote ports and addresses of LOLBins',
      from: 'reprise99 Device-ASRAudit (make_set by device)',
      kql: `DeviceNetworkEvents
| where InitiatingProcessFileName in~ (${kqlList(LOLBINS)})
| summarize Ports=make_set(RemotePort), Addresses=make_set(RemoteIP), Connections=count() by DeviceId, InitiatingProcessFileName
| extend AddressCount = array_length(Addresses)
| project-away Addresses`,
      sql: `SELECT DeviceId, InitiatingProcessFileName, list(DISTINCT RemotePort) AS Ports, count(*) AS Connections, count(DISTINCT RemoteIP) AS AddressCount FROM DeviceNetworkEvents WHERE lower(InitiatingProcessFileName) IN (${sqlList(LOLBINS)}) GROUP BY 1, 2`,
      sets: ['Ports'],
    },
    {
      name: 'top-nested: heaviest file writers, their top files',
      from: 'hunting corpora top-N by device (top-nested as in the Kusto docs\' examples)',
      kql: 'DeviceFileEvents\n| where Timestamp > ago(7d)\n| top-nested 10 of DeviceName by Bytes=sum(FileSize), top-nested 3 of FileName by FileBytes=sum(FileSize)',
      sql: `WITH d AS (SELECT DeviceName, sum(FileSize) AS Bytes FROM DeviceFileEvents WHERE Timestamp > ${ago(7n * DAY)} GROUP BY 1 ORDER BY 2 DESC LIMIT 10),
 f AS (SELECT DeviceName, FileName, sum(FileSize) AS FileBytes FROM DeviceFileEvents WHERE Timestamp > ${ago(7n * DAY)} AND DeviceName IN (SELECT DeviceName FROM d) GROUP BY 1, 2)
 SELECT d.DeviceName, d.Bytes, f.FileName, f.FileBytes FROM d JOIN f USING (DeviceName) QUALIFY row_number() OVER (PARTITION BY f.DeviceName ORDER BY f.FileBytes DESC) <= 3`,
    },
    {
      name: 'make-series: daily process starts per LOLBin',
      from: 'reprise99 Device-VisualizeASREventswithtrend (make-series count() by)',
      kql: `DeviceProcessEvents
| where FileName in~ (${kqlList(LOLBINS)})
| make-series Runs=count() default=0 on Timestamp from ago(14d) to now() step 1d by FileName
| project FileName, Runs`,
      sql: `WITH g AS (SELECT DISTINCT FileName FROM DeviceProcessEvents WHERE lower(FileName) IN (${sqlList(LOLBINS)}) AND Timestamp >= ${ago(14n * DAY)} AND Timestamp < ${T(now)}),
 c AS (SELECT FileName, (epoch_ns(Timestamp) // 100 - ${now - 14n * DAY}) // ${DAY} AS b, count(*) AS n FROM DeviceProcessEvents WHERE lower(FileName) IN (${sqlList(LOLBINS)}) AND Timestamp >= ${ago(14n * DAY)} AND Timestamp < ${T(now)} GROUP BY 1, 2)
 SELECT g.FileName, list(coalesce(c.n, 0) ORDER BY r.b) AS Runs FROM g CROSS JOIN range(14) r(b) LEFT JOIN c ON c.FileName = g.FileName AND c.b = r.b GROUP BY 1`,
    },
    {
      name: 'union of three Device tables: events per device and action, last day',
      from: 'cyb3rmik3 suspicious-rdp-files-in-outlook-temporary-folders (union Device tables)',
      kql: 'union DeviceProcessEvents, DeviceNetworkEvents, DeviceFileEvents\n| where Timestamp > ago(1d)\n| summarize Events=count(), Last=max(Timestamp) by DeviceName, ActionType',
      sql: `SELECT DeviceName, ActionType, count(*) AS Events, ${ticks('max(Timestamp)')} AS Last FROM (SELECT DeviceName, ActionType, Timestamp FROM DeviceProcessEvents UNION ALL SELECT DeviceName, ActionType, Timestamp FROM DeviceNetworkEvents UNION ALL SELECT DeviceName, ActionType, Timestamp FROM DeviceFileEvents) WHERE Timestamp > ${ago(DAY)} GROUP BY 1, 2`,
    },
    {
      name: 'rare processes: stacking by device count',
      from: 'sentinel-hunting (summarize dcount(DeviceId) by FileName | where < N)',
      kql: 'DeviceFileEvents\n| where ActionType == "FileCreated" and FileName endswith ".exe"\n| summarize Devices=dcount(DeviceId), Writes=count(), AvgSize=avg(FileSize) by FileName\n| where Devices < 500',
      sql: `SELECT FileName, count(DISTINCT DeviceId) AS Devices, count(*) AS Writes, avg(FileSize) AS AvgSize FROM DeviceFileEvents WHERE ActionType = 'FileCreated' AND ends_with(lower(FileName), '.exe') GROUP BY 1 HAVING count(DISTINCT DeviceId) < 500`,
      reals: ['AvgSize'],
    },
    {
      name: 'process tree: parent and child counts for suspicious parents',
      from: 'sentinel-hunting (InitiatingProcessFileName in~ office apps, summarize by parent and child)',
      kql: 'DeviceProcessEvents\n| where InitiatingProcessFileName in~ ("WINWORD.EXE", "OUTLOOK.EXE", "wmiprvse.exe")\n| summarize Runs=count(), Devices=dcount(DeviceId), First=min(Timestamp) by InitiatingProcessFileName, FileName',
      sql: `SELECT InitiatingProcessFileName, FileName, count(*) AS Runs, count(DISTINCT DeviceId) AS Devices, ${ticks('min(Timestamp)')} AS First FROM DeviceProcessEvents WHERE lower(InitiatingProcessFileName) IN ('winword.exe', 'outlook.exe', 'wmiprvse.exe') GROUP BY 1, 2`,
    },
  ];
}
