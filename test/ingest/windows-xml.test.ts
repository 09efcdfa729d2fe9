// Windows events as XML (wevtutil qe /f:xml, Event Viewer's "Save as XML", PowerShell's ToXml, evtxexport -f
// xml): every SigmaHQ regression EVTX's XML export lands as the EVTX itself does, table by table and row by row;
// the forms Windows writes (single quotes, all on one line, an <Events> wrapper in UTF-16, RenderingInfo,
// entities, CDATA) read; damaged events are set aside by index with the reason, the others load.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths, readQuarantine, type Workspace } from '../../src/ingest/index.js';
import { detectFormat } from '../../src/ingest/readers.js';
import { eventObjectOfXml } from '../../src/ingest/windows/xml-events.js';
import { runCli } from '../helpers/cli.js';
import { regressionCases } from '../helpers/sigma-regression.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { fresh, file } = scratchArea('kqlite-windows-xml-');
const haveEvtxexport = !spawnSync('evtxexport', ['-h'], { encoding: 'utf8' }).error;

/**
 * Every row of every table, without the column naming the file it came from. Two differences of form are
 * levelled: evtxexport pads hex values to 8 digits (GrantedAccess 0x001fffff) where Windows and the EVTX
 * reader write 0x1fffff, and XML writes GUID-typed values in braces where the EVTX reader (as evtx_dump)
 * writes them bare and upper-case.
 */
function tableRows(ws: Workspace): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of ws.tables()) {
    const res = toJsonResult(runQuery(`${t.name} | project-away SourceFile`, { source: ws }).tables[0]!.table);
    out[t.name] = res.rows.map((r) => JSON.stringify(r).replace(/\b0x0+([0-9a-f])/g, '0x$1').replace(/\{([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}/g, (_, g: string) => g.toUpperCase())).sort();
  }
  return out;
}

test('every regression EVTX and its XML export (evtxexport -f xml) give the same rows in every table', { skip: !haveEvtxexport && !process.env['CI'] ? 'evtxexport is not installed (Debian libevtx-utils; .ci/run installs it)' : false }, async () => {
  const cases = regressionCases();
  const evtx: string[] = [];
  const xml: string[] = [];
  cases.forEach((c, i) => {
    const out = spawnSync('evtxexport', ['-f', 'xml', c.evtx], { encoding: 'utf8', maxBuffer: 64 << 20 });
    evtx.push(file(`c${i}.evtx`, readFileSync(c.evtx)));
    xml.push(file(`c${i}.xml`, out.stdout.replace(/^evtxexport.*\n/, '')));
  });
  const [we, wx] = [fresh(), fresh()];
  const re = await ingestPaths(we, evtx, { workers: 1, force: true });
  const rx = await ingestPaths(wx, xml, { workers: 1, force: true });
  assert.deepEqual([rx.read, rx.loaded, rx.quarantined], [re.read, re.loaded, 0]);
  assert.ok(re.loaded >= 230, `${re.loaded} events`);
  const [a, b] = [tableRows(we), tableRows(wx)];
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const t of Object.keys(a)) assert.deepEqual(b[t], a[t], t);
});

const SYSMON_1 = (id: number, cmd: string) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2024-05-01T10:00:0${id}.1234567Z'/><EventRecordID>${id}</EventRecordID><Correlation/><Execution ProcessID='3000' ThreadID='4000'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws1.corp</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2024-05-01 10:00:0${id}.123</Data><Data Name='ProcessGuid'>{0197231e-005a-6928-a50b-000000000d00}</Data><Data Name='ProcessId'>${100 + id}</Data><Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='CommandLine'>${cmd}</Data><Data Name='User'>CORP\\alice</Data><Data Name='ParentImage'>C:\\Windows\\explorer.exe</Data></EventData>${id === 2 ? "<RenderingInfo Culture='en-US'><Message>Process Create:</Message><Level>Information</Level></RenderingInfo>" : ''}</Event>`;

test('wevtutil / Event Viewer XML: one line or an <Events> wrapper in UTF-16, entities and CDATA; damaged events set aside by index', async () => {
  const ws = fresh();
  const oneLine = file('sysmon-wevtutil.xml', SYSMON_1(1, 'cmd /c &quot;echo a&amp;b&quot; &#x41;&#66;') + SYSMON_1(2, '<![CDATA[x < y]]>'));
  const saved = file('sysmon-saved.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>\r\n<Events>\r\n${SYSMON_1(3, 'whoami')}\r\n${SYSMON_1(4, 'x').replace('</Computer>', '</Compu>')}\r\n${SYSMON_1(5, 'bad &nbsp; entity')}\r\nstray text\r\n${SYSMON_1(6, 'ipconfig')}\r\n</Events>\r\n`, 'utf16le')]));
  const cut = file('sysmon-cut.xml', SYSMON_1(7, 'net user') + '\n' + SYSMON_1(8, 'cut').slice(0, 300));
  const r = await ingestPaths(ws, [oneLine, saved, cut], { workers: 1 });
  assert.deepEqual(r.files.map((f) => [f.format, f.read, f.loaded, f.quarantined]), [['windows-xml', 2, 2, 0], ['windows-xml', 5, 2, 3], ['windows-xml', 2, 1, 1]]);
  assert.deepEqual(readQuarantine(ws).map((q) => `${q['offset']}@${q['line']}: ${q['reason']}`), [
    `1@4: XML: </Compu> closes <Computer> at character ${SYSMON_1(4, 'x').indexOf('</Computer>') + 8} of the event`,
    `2@5: XML: unknown entity &nbsp; at character ${SYSMON_1(5, 'bad &nbsp; entity').indexOf('&nbsp;') + 1} of the event`,
    '3@6: text outside any <Event> element: "stray text"',
    '1@2: truncated: the file ends inside this event',
  ]);
  const rows = toJsonResult(runQuery('DeviceProcessEvents | order by ProcessId asc | project ProcessId, ProcessCommandLine, DeviceName, InitiatingProcessFileName', { source: ws }).tables[0]!.table).rows;
  assert.deepEqual(rows, [[101, 'cmd /c "echo a&b" AB', 'ws1.corp', 'explorer.exe'], [102, 'x < y', 'ws1.corp', 'explorer.exe'], [103, 'whoami', 'ws1.corp', 'explorer.exe'], [106, 'ipconfig', 'ws1.corp', 'explorer.exe'], [107, 'net user', 'ws1.corp', 'explorer.exe']]);
  // values are the XML's text
  const ev = eventObjectOfXml(SYSMON_1(1, 'x')) as { Event: { System: { Provider: { '#attributes': Record<string, string> } }; EventData: Record<string, string> } };
  assert.equal(ev.Event.System.Provider['#attributes']['Guid'], '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}');
  assert.equal(ev.Event.EventData['ProcessGuid'], '{0197231e-005a-6928-a50b-000000000d00}');
});

test('XML event files are told by extension or content, and a folder of .evtx and .xml files is read whole (the CLI)', async () => {
  assert.equal(detectFormat('x.txt', "<?xml version='1.0'?>\n<Events><Event xmlns='x'>"), 'windows-xml');
  assert.equal(detectFormat('x.log', "<Event xmlns='x'><System>"), 'windows-xml');
  assert.equal(detectFormat('dump.xml', ''), 'windows-xml');
  assert.equal(detectFormat('x.json', '{"a":1}'), 'ndjson');
  const dir = file('logs', Buffer.alloc(0));
  const { mkdirSync, rmSync, copyFileSync, writeFileSync } = await import('node:fs');
  rmSync(dir);
  mkdirSync(dir);
  copyFileSync(regressionCases()[0]!.evtx, `${dir}/Security.evtx`);
  writeFileSync(`${dir}/sysmon.xml`, SYSMON_1(1, 'whoami'));
  writeFileSync(`${dir}/notes.txt`, 'not an export');
  const ws = `${dir}-ws`;
  const res = await runCli(['ingest', dir, '--workspace', ws, '--json']);
  const report = JSON.parse(res.stdout) as { files: { file: string; format: string; loaded: number }[] };
  assert.deepEqual(report.files.map((f) => [f.file.split('/').pop(), f.format, f.loaded > 0]), [['Security.evtx', 'evtx', true], ['sysmon.xml', 'windows-xml', true]]);
});
