/**
 * One Windows event, whatever it was read from: an EVTX record (as evtx_dump's JSON shape, see
 * evtx/render.ts), evtx_dump's JSON itself, Winlogbeat's (`winlog.*`) or NXLog's flat JSON. Everything
 * downstream (the Sentinel tables, the Defender mapping) starts from this, so the same event lands the
 * same way from any of them. Event data values are text, as the event's XML has them (evtx_dump writes
 * numbers as JSON numbers; they become their decimal text here); a value that is itself structured
 * (a nested element) stays an object.
 */
export interface WinEvent {
  provider: string;
  providerGuid?: string;
  eventId: number;
  qualifiers?: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  keywords?: string;
  /** ISO 8601 UTC. */
  time: string;
  recordId?: number;
  activityId?: string;
  processId?: number;
  threadId?: number;
  channel: string;
  computer: string;
  userId?: string;
  /** EventData's named values, or the children of UserData's element. */
  data: Record<string, unknown>;
  /** Where `data` came from: the name of the UserData element, when it was UserData. */
  userData?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const attrs = (v: unknown): Obj => (isObj(v) && isObj(v['#attributes']) ? (v['#attributes'] as Obj) : {});
const textOf = (v: unknown): unknown => (isObj(v) && '#text' in v ? v['#text'] : v);

function num(v: unknown): number | undefined {
  const t = textOf(v);
  if (typeof t === 'number') return t;
  if (typeof t === 'string' && t.trim() !== '') {
    const n = /^0x[0-9a-f]+$/i.test(t.trim()) ? parseInt(t.trim(), 16) : Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  const t = textOf(v);
  if (t === null || t === undefined) return undefined;
  return typeof t === 'string' ? t : typeof t === 'object' ? JSON.stringify(t) : String(t);
}

/** An event data value as text (numbers and booleans as the XML writes them); objects and arrays stay. */
export function dataValue(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(dataValue);
  return v;
}

function dataOf(o: Obj): Obj {
  const out: Obj = {};
  for (const k in o) if (k !== '#attributes') out[k] = dataValue(o[k]);
  return out;
}

/** The event in evtx_dump's JSON (`{"Event": {"System": ..., "EventData": ...}}`), or a reason it is not one. */
export function fromDump(o: unknown): WinEvent | string {
  const ev = isObj(o) ? o['Event'] : undefined;
  if (!isObj(ev) || !isObj(ev['System'])) return "not an event: no 'Event.System' object";
  const sys = ev['System'] as Obj;
  const eventId = num(sys['EventID']);
  if (eventId === undefined) return "the event has no numeric 'System.EventID'";
  const time = str(attrs(sys['TimeCreated'])['SystemTime']);
  if (!time) return "the event has no 'System.TimeCreated.SystemTime'";
  const provider = attrs(sys['Provider']);
  const e: WinEvent = {
    provider: str(provider['Name']) ?? str(provider['EventSourceName']) ?? '',
    eventId,
    time,
    channel: str(sys['Channel']) ?? '',
    computer: str(sys['Computer']) ?? '',
    data: {},
  };
  const set = <K extends keyof WinEvent>(k: K, v: WinEvent[K] | undefined) => {
    if (v !== undefined) e[k] = v;
  };
  set('providerGuid', str(provider['Guid']));
  set('qualifiers', num(attrs(sys['EventID'])['Qualifiers']));
  set('version', num(sys['Version']));
  set('level', num(sys['Level']));
  set('task', num(sys['Task']));
  set('opcode', num(sys['Opcode']));
  set('keywords', str(sys['Keywords']));
  set('recordId', num(sys['EventRecordID']));
  set('activityId', str(attrs(sys['Correlation'])['ActivityID']));
  set('processId', num(attrs(sys['Execution'])['ProcessID']));
  set('threadId', num(attrs(sys['Execution'])['ThreadID']));
  set('userId', str(attrs(sys['Security'])['UserID']));
  if (isObj(ev['EventData'])) e.data = dataOf(ev['EventData'] as Obj);
  else if (isObj(ev['UserData'])) {
    const [name, inner] = Object.entries(ev['UserData'] as Obj)[0] ?? [];
    if (name) {
      e.userData = name;
      e.data = isObj(inner) ? dataOf(inner) : { [name]: dataValue(inner) };
    }
  }
  return e;
}

const LEVELS: Record<string, number> = { critical: 1, error: 2, warning: 3, information: 4, informational: 4, verbose: 5 };

/** Winlogbeat / Elastic Agent (ECS): `winlog.*` plus `@timestamp`. */
export function fromWinlogbeat(o: Obj): WinEvent | string {
  const w = o['winlog'];
  if (!isObj(w)) return "not a Winlogbeat event: no 'winlog' object";
  const eventId = num(w['event_id']) ?? num(isObj(o['event']) ? (o['event'] as Obj)['code'] : undefined);
  if (eventId === undefined) return "the event has no 'winlog.event_id'";
  const time = str(o['@timestamp']) ?? str(isObj(o['event']) ? (o['event'] as Obj)['created'] : undefined);
  if (!time) return "the event has no '@timestamp'";
  const proc = isObj(w['process']) ? (w['process'] as Obj) : {};
  const level = isObj(o['log']) ? str((o['log'] as Obj)['level']) : undefined;
  const e: WinEvent = {
    provider: str(w['provider_name']) ?? '',
    eventId,
    time,
    channel: str(w['channel']) ?? '',
    computer: str(w['computer_name']) ?? (isObj(o['host']) ? str((o['host'] as Obj)['name']) ?? '' : ''),
    data: isObj(w['event_data']) ? dataOf(w['event_data'] as Obj) : {},
  };
  if (!isObj(w['event_data']) && isObj(w['user_data'])) {
    e.data = dataOf(w['user_data'] as Obj);
    e.userData = 'UserData';
  }
  const put = <K extends keyof WinEvent>(k: K, v: WinEvent[K] | undefined) => {
    if (v !== undefined) e[k] = v;
  };
  put('providerGuid', str(w['provider_guid'])?.replace(/[{}]/g, ''));
  put('recordId', num(w['record_id']));
  put('processId', num(proc['pid']));
  put('threadId', num(isObj(proc['thread']) ? (proc['thread'] as Obj)['id'] : undefined));
  put('userId', isObj(w['user']) ? str((w['user'] as Obj)['identifier']) : undefined);
  put('version', num(w['version']));
  put('task', num(w['task']));
  put('opcode', num(w['opcode']));
  put('activityId', str(w['activity_id'])?.replace(/[{}]/g, ''));
  put('level', level ? LEVELS[level.toLowerCase()] : undefined);
  return e;
}

/** NXLog's flat JSON: EventTime, Hostname, EventID, SourceName/ProviderGuid, Channel, RecordNumber, then the data fields. */
const NXLOG_SYSTEM = new Set(['EventTime', 'EventReceivedTime', 'Hostname', 'Keywords', 'SeverityValue', 'Severity', 'EventID', 'SourceName', 'ProviderGuid', 'Version', 'Task', 'OpcodeValue', 'RecordNumber', 'ActivityID', 'RelatedActivityID', 'ProcessID', 'ThreadID', 'Channel', 'Domain', 'AccountName', 'UserID', 'AccountType', 'Category', 'Opcode', 'Message', 'SourceModuleName', 'SourceModuleType', 'EventTimeUTC']);

const NXLOG_EVENT_TYPES = new Set(['INFO', 'WARNING', 'ERROR', 'CRITICAL', 'VERBOSE', 'AUDIT_SUCCESS', 'AUDIT_FAILURE']);

/** Times NXLog writes as "2025-10-01 12:00:00" (local unless told): taken as UTC, as most collectors are set up. */
function nxTime(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  return /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(s) ? s.replace(' ', 'T') + 'Z' : s;
}

export function fromNxlog(o: Obj): WinEvent | string {
  const eventId = num(o['EventID']);
  if (eventId === undefined) return "the event has no 'EventID'";
  const time = nxTime(o['EventTimeUTC'] ?? o['EventTime']);
  if (!time) return "the event has no 'EventTime'";
  const data: Obj = {};
  for (const k in o) if (!NXLOG_SYSTEM.has(k)) data[k] = dataValue(o[k]);
  // NXLog's own EventType is a level name; anything else is the event's data of that name (Sysmon's SetValue, ...)
  if (typeof o['EventType'] === 'string' && NXLOG_EVENT_TYPES.has(o['EventType'].toUpperCase())) delete data['EventType'];
  const e: WinEvent = { provider: str(o['SourceName']) ?? '', eventId, time, channel: str(o['Channel']) ?? '', computer: str(o['Hostname']) ?? '', data };
  const put = <K extends keyof WinEvent>(k: K, v: WinEvent[K] | undefined) => {
    if (v !== undefined) e[k] = v;
  };
  put('providerGuid', str(o['ProviderGuid'])?.replace(/[{}]/g, ''));
  put('recordId', num(o['RecordNumber']));
  put('processId', num(o['ProcessID']));
  put('threadId', num(o['ThreadID']));
  put('userId', str(o['UserID']));
  put('version', num(o['Version']));
  put('task', num(o['Task']));
  put('opcode', num(o['OpcodeValue']));
  put('keywords', str(o['Keywords']));
  put('activityId', str(o['ActivityID'])?.replace(/[{}]/g, ''));
  const sev = str(o['Severity']);
  put('level', sev ? LEVELS[sev.toLowerCase()] : undefined);
  return e;
}

/** Which of the JSON forms an object is, if any. */
export function windowsJsonKind(o: unknown): 'dump' | 'winlogbeat' | 'nxlog' | undefined {
  if (!isObj(o)) return undefined;
  if (isObj(o['Event']) && isObj((o['Event'] as Obj)['System'])) return 'dump';
  if (isObj(o['winlog'])) return 'winlogbeat';
  if ('EventID' in o && ('Channel' in o || 'SourceName' in o) && ('EventTime' in o || 'EventTimeUTC' in o)) return 'nxlog';
  return undefined;
}

export function fromWindowsJson(o: unknown): WinEvent | string {
  switch (windowsJsonKind(o)) {
    case 'dump': return fromDump(o);
    case 'winlogbeat': return fromWinlogbeat(o as Obj);
    case 'nxlog': return fromNxlog(o as Obj);
    default: return 'not a Windows event in any known JSON form (evtx_dump, Winlogbeat, NXLog)';
  }
}
