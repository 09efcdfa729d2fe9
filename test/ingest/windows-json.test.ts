// The JSON forms people export Windows logs in land like the EVTX itself: evtx_dump's JSON (pretty-printed
// documents and one per line), Winlogbeat's `winlog.*` documents and NXLog's flat records, detected by their
// content. Checked through `kqlite ingest` against the same events read from EVTX.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvtx } from '../../src/ingest/evtx/reader.js';
import { fromDump, type WinEvent } from '../../src/ingest/windows/event.js';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import { Workspace } from '../../src/store/workspace.js';
import { runCli } from '../helpers/cli.js';
import { writeEvtx } from '../helpers/evtx-writer.js';
import { regressionCases } from '../helpers/sigma-regression.js';
import { sysmonEvents } from '../helpers/sysmon-events.js';

const dir = mkdtempSync(join(tmpdir(), 'kqlite-winjson-'));

async function dumpsOf(file: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  async function* one() {
    yield readFileSync(file);
  }
  for await (const it of readEvtx(one())) if (it.record) out.push(it.record.event);
  return out;
}

function winlogbeat(e: WinEvent): unknown {
  return {
    '@timestamp': e.time, event: { code: String(e.eventId), provider: e.provider }, log: { level: 'information' }, host: { name: e.computer },
    winlog: { channel: e.channel, event_id: String(e.eventId), record_id: String(e.recordId), computer_name: e.computer, provider_name: e.provider, provider_guid: `{${e.providerGuid}}`, process: { pid: e.processId, thread: { id: e.threadId } }, user: { identifier: e.userId }, task: e.task, opcode: e.opcode, version: e.version, event_data: e.data },
  };
}

function nxlog(e: WinEvent): unknown {
  return { EventTime: e.time, Hostname: e.computer, Keywords: e.keywords, EventType: 'INFO', Severity: 'INFO', EventID: e.eventId, SourceName: e.provider, ProviderGuid: `{${e.providerGuid}}`, Version: e.version, Task: e.task, OpcodeValue: e.opcode, RecordNumber: e.recordId, ProcessID: e.processId, ThreadID: e.threadId, Channel: e.channel, UserID: e.userId, ...e.data };
}

/** The tables of a workspace as comparable rows (provenance left out: each file is its own source). */
async function tablesOf(ws: string, queries: Record<string, string>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, q] of Object.entries(queries)) {
    const r = await runCli(['query', q, '--workspace', ws, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    out[name] = JSON.parse(r.stdout);
  }
  return out;
}

const QUERIES = {
  windowsEvent: 'WindowsEvent | project-away SourceFile | order by SourceRecordId asc',
  process: 'DeviceProcessEvents | project-away SourceFile | order by ReportId asc',
  registry: 'DeviceRegistryEvents | project-away SourceFile | order by ReportId asc',
  network: 'DeviceNetworkEvents | project-away SourceFile | order by ReportId asc',
};
// what Winlogbeat and NXLog do not carry (keywords, level as a number), or carry differently (NXLog's time)
const QUERIES_PARTIAL = {
  windowsEvent: 'WindowsEvent | project EventID, Channel, Computer, Provider, EventRecordId, EventData, SystemProcessId, Task | order by EventRecordId asc',
  process: 'DeviceProcessEvents | project-away SourceFile | order by ReportId asc',
  registry: 'DeviceRegistryEvents | project-away SourceFile | order by ReportId asc',
};

test('evtx_dump JSON (pretty and one per line), Winlogbeat and NXLog give the rows the EVTX gives', async () => {
  const evtx = join(dir, 'sysmon.evtx');
  writeFileSync(evtx, writeEvtx(sysmonEvents(500, { seed: 9 })));
  const dumps = await dumpsOf(evtx);
  const events = dumps.map((d) => fromDump(d) as WinEvent);
  const files: Record<string, string> = {
    pretty: join(dir, 'dump.json'), lines: join(dir, 'dump.jsonl'), winlogbeat: join(dir, 'winlogbeat.ndjson'), nxlog: join(dir, 'nxlog.json'),
  };
  writeFileSync(files.pretty!, dumps.map((d) => JSON.stringify(d, null, 2)).join('\n'));
  writeFileSync(files.lines!, dumps.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(files.winlogbeat!, events.map((e) => JSON.stringify(winlogbeat(e))).join('\n') + '\n');
  writeFileSync(files.nxlog!, events.map((e) => JSON.stringify(nxlog(e))).join('\n') + '\n');
  const wsOf = async (name: string, file: string) => {
    const ws = join(dir, `ws-${name}`);
    const r = await runCli(['ingest', file, '--workspace', ws, '--json']);
    const rep = JSON.parse(r.stdout) as { read: number; loaded: number; quarantined: number; files: { format: string }[] };
    assert.deepEqual([rep.read, rep.loaded, rep.quarantined], [500, 500, 0], `${name}: ${r.stdout}`);
    return { ws, format: rep.files[0]!.format };
  };
  const base = await wsOf('evtx', evtx);
  assert.equal(base.format, 'evtx');
  const want = await tablesOf(base.ws, QUERIES);
  const wantPartial = await tablesOf(base.ws, QUERIES_PARTIAL);
  for (const [name, file] of Object.entries(files)) {
    const got = await wsOf(name, file);
    assert.equal(got.format, 'windows-json', name);
    if (name === 'pretty' || name === 'lines') assert.deepEqual(await tablesOf(got.ws, QUERIES), want, name);
    else assert.deepEqual(await tablesOf(got.ws, QUERIES_PARTIAL), wantPartial, name);
  }
});

test("SigmaHQ's evtx_dump files load as their EVTX do (times to the dumps' microseconds)", async () => {
  const all = regressionCases();
  const cases = [...all.filter((c) => /process_creation/.test(c.evtx)).slice(0, 8), ...all.filter((c) => /registry_set/.test(c.evtx)).slice(0, 8)];
  const load = async (files: string[]) => {
    const ws = Workspace.open(mkdtempSync(join(dir, 'reg-')), { create: true });
    const r = await ingestPaths(ws, files, { workers: 1 });
    assert.equal(r.quarantined, 0);
    return ws;
  };
  const [evtxWs, jsonWs] = [await load(cases.map((c) => c.evtx)), await load(cases.map((c) => c.json))];
  const rows = (ws: Workspace, q: string) => toJsonResult(runQuery(q, { source: ws }).tables[0]!.table).rows;
  for (const table of ['DeviceProcessEvents', 'DeviceRegistryEvents', 'WindowsEvent']) {
    const q = `${table} | extend t = format_datetime(${table === 'WindowsEvent' ? 'TimeGenerated' : 'Timestamp'}, "yyyy-MM-dd HH:mm:ss.ffffff") | project-away ${table === 'WindowsEvent' ? 'TimeGenerated' : 'Timestamp'}, SourceFile${table === 'DeviceProcessEvents' ? ', ProcessCreationTime' : ''} | order by SourceRecordId asc, t asc`;
    const want = rows(evtxWs, q);
    assert.ok(want.length > 0, table);
    assert.deepEqual(rows(jsonWs, q), want, table);
  }
});
